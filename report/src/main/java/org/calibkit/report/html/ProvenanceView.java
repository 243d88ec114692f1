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

/**
 * The last section (provenance.jte): the input-range check and the facts on model, data, settings
 * and run, and the run id (also in the page's {@code <meta name="calibkit-run-id">}). Public because
 * the precompiled templates live in another package.
 */
public record ProvenanceView(InputRangeView inputRange, List<FactGroup> provenance, String runId) {

    /** The view of an audit result. */
    public static ProvenanceView of(AuditResult r) {
        return new ProvenanceView(inputRange(r), provenance(r), r.provenance().runId());
    }

    /** The input-range check; {@code present} false when the preprocessing is unknown. */
    public record InputRangeView(boolean present, boolean ok, String message, String fix, List<Fact> facts) {
    }

    // ---------------------------------------------------------------- input range, provenance

    private static InputRangeView inputRange(AuditResult r) {
        AuditResult.InputRange in = r.inputRange();
        if (in == null) {
            return new InputRangeView(false, false, "Not checked: the model's preprocessing is unknown.", "",
                    List.of());
        }
        List<Fact> facts = List.of(
                new Fact("Pixels seen", "min " + plain(in.min()) + ", max " + plain(in.max()) + ", mean "
                        + plain(in.mean())),
                new Fact("Model expects", plain(in.expectedMin()) + " to " + plain(in.expectedMax())));
        return new InputRangeView(true, in.ok(), nz(in.message()), nz(in.fix()), facts);
    }

    private static String plain(double v) {
        if (!Double.isFinite(v)) {
            return Format.MISSING;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static List<FactGroup> provenance(AuditResult r) {
        List<FactGroup> groups = new ArrayList<>();
        AuditResult.ModelInfo m = r.model();
        List<Fact> model = new ArrayList<>();
        model.add(new Fact("Name", m.name()));
        model.add(new Fact("File", nz(m.location()), true));
        model.add(new Fact("SHA-256", m.sha256() == null ? "unknown" : m.sha256(), m.sha256() != null));
        model.add(new Fact("Kind", nz(m.kind())));
        model.add(new Fact("Head", nz(m.head())));
        model.add(new Fact("Output", nz(m.outputKind())));
        model.add(new Fact("Classes", m.classNames().size() + ": " + String.join(", ", m.classNames())));
        model.add(new Fact("Preprocessing", m.preprocessing() == null ? "unknown" : m.preprocessing()));
        m.details().forEach((k, v) -> model.add(new Fact(k, nz(v))));
        groups.add(new FactGroup("Model", model));

        AuditResult.DataInfo d = r.data();
        groups.add(new FactGroup("Data", List.of(
                new Fact("Data set", d.dataset()),
                new Fact("Location", nz(d.location()), true),
                new Fact("Test images", Format.count(d.testCount())),
                new Fact("Validation images (calibration fit)", Format.count(d.validationCount())),
                new Fact("SHA-256", d.sha256() == null ? "unknown" : d.sha256(), d.sha256() != null),
                new Fact("Checksums verified", d.verified() ? "yes" : "no"))));

        AuditResult.Settings s = r.settings();
        List<Fact> settings = new ArrayList<>();
        settings.add(new Fact("Calibration", s.calibration()));
        settings.add(new Fact("Overconfidence threshold", String.format(Locale.ROOT, "%.2f", s.threshold())));
        settings.add(new Fact("Bins", Integer.toString(s.bins())));
        settings.add(new Fact("Images per generated probe", Format.count(s.probeSize())));
        settings.add(new Fact("Seed", Long.toString(s.seed())));
        settings.add(new Fact("Bootstrap", String.format(Locale.ROOT, "%,d resamples, level %.2f", s.resamples(),
                s.level())));
        settings.add(new Fact("Probes asked for", String.join(", ", s.probes())));
        if (s.thresholds() != null) {
            Fields.thresholds(s.thresholds()).forEach((k, v) -> settings.add(new Fact("Threshold " + k,
                    Format.threshold(v))));
        }
        groups.add(new FactGroup("Settings", settings));

        AuditResult.Provenance p = r.provenance();
        List<Fact> run = new ArrayList<>();
        run.add(new Fact("calibkit", nz(p.calibkitVersion())));
        run.add(new Fact("Date", nz(p.createdAt())));
        run.add(new Fact("Run id", nz(p.runId())));
        run.add(new Fact("Java", nz(p.javaVersion())));
        run.add(new Fact("Wall time", Format.seconds(p.seconds())));
        p.timings().forEach((k, v) -> run.add(new Fact("  " + k, Format.seconds(v == null ? Double.NaN : v))));
        groups.add(new FactGroup("Run", run));
        return groups;
    }
}
