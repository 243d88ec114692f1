package org.calibkit.report.compare;

import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.report.render.TextFiles;
import org.calibkit.report.render.Templates;


/**
 * The comparison as one self-contained HTML page, laid out by {@code src/main/jte/compare.jte}
 * with the audit report's CSS ({@code style.jte}): a column per model for the test split, the
 * probes and the detection scores, a reliability diagram per model, provenance. Every value is
 * escaped by jte (content type HTML); charts are PNG data URIs; no script, nothing loaded from
 * the network.
 */
public final class ComparisonHtml {
    private ComparisonHtml() {
    }

    /** The page as text. */
    public static String render(Comparison c) {
        Objects.requireNonNull(c, "comparison");
        ComparisonView view = ComparisonView.of(c);
        return Templates.render("compare.jte", view, "the comparison page");
    }

    /** Writes the page to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(Comparison c, Path file) {
        TextFiles.writeUtf8(Objects.requireNonNull(file, "file"), render(c));
    }
}
