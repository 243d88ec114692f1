package org.calibkit.report.terminal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.TestSection;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.doctor.DoctorSection;
import org.calibkit.report.render.Format;

/**
 * The audit in at most six lines for a terminal: verdict counts, the worst finding with its
 * reason, the test split's accuracy and ECE before and after calibration, what the doctor's
 * quick input check found (when it ran), and where the report files are.
 */
public final class TerminalSummary {
    /** Lines the summary has at most. */
    public static final int MAX_LINES = 6;

    private TerminalSummary() {
    }

    /**
     * The summary, lines separated by {@code \n}, no trailing line break.
     *
     * @param html the HTML report written, or null
     * @param json the JSON twin written, or null
     */
    public static String summary(AuditResult r, Path html, Path json) {
        Objects.requireNonNull(r, "result");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "audit of %s on %s: %d fail, %d warn, %d info, %d pass",
                Format.oneLine(r.model().name()), Format.oneLine(r.data().dataset()), r.count(Status.FAIL),
                r.count(Status.WARN), r.count(Status.INFO), r.count(Status.PASS)));
        Verdict worst = worst(r.verdicts());
        if (worst == null) {
            lines.add("no checks were run");
        } else if (worst.status() == Status.PASS) {
            lines.add("every check passes");
        } else {
            lines.add("worst: " + worst.status().name() + " " + Format.oneLine(worst.title()) + ": "
                    + Format.oneLine(worst.reason()));
        }
        TestSection t = r.test();
        String line = "test: accuracy " + arrow(t, "accuracy") + ", ECE " + arrow(t, "ece");
        if (t.calibrated() != null) {
            line += " (" + Format.oneLine(t.calibration() != null ? t.calibration() : t.method()) + ")";
        } else {
            line += " (not calibrated)";
        }
        if (r.model().details().containsKey(org.calibkit.report.audit.Audit.SCORES_DETAIL)) {
            line += "; the outputs look like scores, not logits, and are read as logits (see the model section)";
        }
        lines.add(line);
        if (r.doctor() != null) {
            lines.add(doctor(r.doctor()));
        }
        if (html != null) {
            lines.add("report: " + html);
        }
        if (json != null) {
            lines.add("json:   " + json);
        }
        return String.join("\n", lines);
    }

    /** The doctor's line: where the given flags rank and the flags to pass. */
    static String doctor(DoctorSection d) {
        if (d.skipped()) {
            return "doctor: input check skipped: " + Format.oneLine(d.skipReason());
        }
        DoctorResult.Candidate g = d.given();
        DoctorResult.Candidate b = d.best();
        if (b.given()) {
            return String.format(Locale.ROOT, "doctor: the given flags rank 1 of %d input conventions (accuracy %s, NLL %s)",
                    d.conventions(), Format.pct(g.accuracy()), Format.num(g.nll()));
        }
        return String.format(Locale.ROOT, "doctor: the given flags rank %d of %d input conventions (accuracy %s, NLL %s); "
                        + "best: %s (accuracy %s, NLL %s)", d.givenRank(), d.conventions(), Format.pct(g.accuracy()),
                Format.num(g.nll()), b.flags().isEmpty() ? "no flags" : Format.oneLine(b.flags()), Format.pct(b.accuracy()),
                Format.num(b.nll()));
    }

    private static String arrow(TestSection t, String key) {
        String s = Format.num(t.uncalibrated().get(key));
        return t.calibrated() == null ? s : s + " -> " + Format.num(t.calibrated().get(key));
    }

    /** The first verdict with the worst status, or null. */
    private static Verdict worst(List<Verdict> verdicts) {
        Verdict worst = null;
        for (Verdict v : verdicts) {
            if (worst == null || v.status().compareTo(worst.status()) > 0) {
                worst = v;
            }
        }
        return worst;
    }
}
