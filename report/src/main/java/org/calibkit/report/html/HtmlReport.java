package org.calibkit.report.html;

import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.report.render.TextFiles;
import org.calibkit.report.render.Templates;
import org.calibkit.report.audit.AuditResult;


/**
 * The audit as one self-contained HTML page: inline CSS, charts and thumbnails as PNG data URIs,
 * no script and nothing loaded from the network, so it opens anywhere and reads without
 * JavaScript. Laid out by the jte templates in {@code report/src/main/jte}, which are compiled to
 * classes at build time (content type HTML: every value is escaped by default; nothing is
 * written raw).
 *
 * <p>Order: summary with every verdict; reliability diagrams before and after calibration; every
 * metric with intervals and whether calibration changed it beyond noise; per-class calibration;
 * probes and their detection scores; the most overconfident inputs; the input-range check;
 * provenance.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** The page as text. */
    public static String render(AuditResult r) {
        Objects.requireNonNull(r, "result");
        ReportView view = ReportView.of(r);
        return Templates.render("report.jte", view, "the HTML report");
    }

    /** Writes the page to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(AuditResult r, Path file) {
        TextFiles.writeUtf8(Objects.requireNonNull(file, "file"), render(r));
    }
}
