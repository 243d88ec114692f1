package org.calibkit.report.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Format;

/**
 * The comparison in a few lines for a terminal: one line per model (head, accuracy, ECE before
 * and after calibration, temperature) and where the page was written. Numbers read as on the page
 * ({@link Format}).
 */
public final class ComparisonText {
    private ComparisonText() {
    }

    /** The lines, ending with where the files are ({@code json} may be null). */
    public static String summary(Comparison c, Path html, Path json) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "calibkit compare: %d models on %s (%s test images)", c.size(),
                c.data().dataset(), Format.count(c.data().testCount())));
        int width = 4;
        for (AuditResult r : c.audits()) {
            width = Math.max(width, Format.oneLine(r.model().name()).length());
        }
        width = Math.min(width, 40);
        for (int i = 0; i < c.size(); i++) {
            AuditResult r = c.audits().get(i);
            AuditResult.TestSection t = r.test();
            String name = Format.oneLine(r.model().name());
            if (name.length() > width) {
                name = name.substring(0, width - 1) + "\u2026";
            }
            lines.add(String.format(Locale.ROOT, "  %d. %-" + width + "s  %-7s  accuracy %s  ECE %s -> %s  NLL %s -> %s  T %s",
                    i + 1, name, r.model().head(), Format.num(t.uncalibrated().accuracy()),
                    Format.num(t.uncalibrated().ece()), t.calibrated() == null ? Format.MISSING : Format.num(t.calibrated().ece()),
                    Format.num(t.uncalibrated().nll()), t.calibrated() == null ? Format.MISSING : Format.num(t.calibrated().nll()),
                    Format.num(t.temperature())));
        }
        lines.add("report: " + html + (json == null ? "" : "  json: " + json));
        return String.join(System.lineSeparator(), lines);
    }
}
