package org.calibkit.report.html;

import static org.calibkit.report.html.ReportView.*;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.charts.BinAccuracyIntervals;
import org.calibkit.calibration.charts.ChartRenderer;
import org.calibkit.calibration.charts.ReliabilityDiagram;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.TestSection;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.render.Fields;
import org.calibkit.report.render.Format;

/** The top of the page (summary.jte): verdict counts, the worst finding, the headline numbers, every verdict. Public because the precompiled templates live in another package. */
public record SummaryView(Summary summary, List<VerdictRow> verdicts) {

    /** The view of an audit result. */
    public static SummaryView of(AuditResult r) {
        List<VerdictRow> verdicts = new ArrayList<>();
        for (Verdict v : r.verdicts()) {
            verdicts.add(verdictRow(v));
        }
        return new SummaryView(summary(r, verdicts), verdicts);
    }

    /** How many verdicts have one status; {@code css} is the status in lower case. */
    public record StatusCount(String css, String label, long count) {
    }

    /**
     * The top of the page.
     *
     * @param counts   verdicts per status, worst first
     * @param headline one sentence on the whole
     * @param worst    the worst verdict, or null when there are none
     * @param figures  the test split's headline numbers
     */
    public record Summary(List<StatusCount> counts, String headline, VerdictRow worst, List<Fact> figures) {
    }

    /** One verdict, formatted. {@code css} is the status in lower case. */
    public record VerdictRow(String css, String status, String check, String title, String value, String threshold,
                             String interval, String reason) {
    }

    // ---------------------------------------------------------------- summary

    private static VerdictRow verdictRow(Verdict v) {
        return new VerdictRow(css(v.status()), Format.status(v.status()), v.check(), v.title(), Format.num(v.value()),
                Format.thresholds(v.warnAt(), v.failAt()), Format.interval(v.lower(), v.upper()),
                Format.oneLine(v.reason()));
    }


    private static Summary summary(AuditResult r, List<VerdictRow> rows) {
        List<StatusCount> counts = new ArrayList<>();
        Status[] worstFirst = {Status.FAIL, Status.WARN, Status.INFO, Status.PASS};
        for (Status s : worstFirst) {
            counts.add(new StatusCount(css(s), s.name().toLowerCase(Locale.ROOT), r.count(s)));
        }
        int worstIndex = worstIndex(r.verdicts());
        VerdictRow worst = worstIndex < 0 ? null : rows.get(worstIndex);
        String headline;
        long fail = r.count(Status.FAIL);
        long warn = r.count(Status.WARN);
        if (r.verdicts().isEmpty()) {
            headline = "No checks were run.";
        } else if (fail > 0) {
            headline = String.format(Locale.ROOT, "%s of %d checks fail%s: do not take this model's probabilities "
                    + "at face value where they fail.", fail, r.verdicts().size(),
                    warn > 0 ? " and " + warn + " warn" : "");
        } else if (warn > 0) {
            headline = String.format(Locale.ROOT, "No check fails; %d of %d warn: read those before trusting the "
                    + "probabilities.", warn, r.verdicts().size());
        } else {
            headline = String.format(Locale.ROOT, "All %d checks pass.", r.verdicts().size());
        }
        TestSection t = r.test();
        List<Fact> figures = new ArrayList<>();
        for (String key : List.of("accuracy", "ece")) {
            Metric m = Metrics.byKey(key);
            String value = Format.num(t.uncalibrated().get(key));
            if (t.calibrated() != null) {
                value += " \u2192 " + Format.num(t.calibrated().get(key));
            }
            figures.add(new Fact(m.name() + " (test)", value));
        }
        figures.add(new Fact("Calibration", t.calibration() != null ? t.calibration() : t.method()));
        return new Summary(counts, headline, worst, figures);
    }

    /** Index of the first verdict with the worst status, -1 when there are none. */
    static int worstIndex(List<Verdict> verdicts) {
        int worst = -1;
        for (int i = 0; i < verdicts.size(); i++) {
            if (worst < 0 || verdicts.get(i).status().compareTo(verdicts.get(worst).status()) > 0) {
                worst = i;
            }
        }
        return worst;
    }
}
