package org.calibkit.report.compare;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.calibration.io.AtomicWrite;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateNotFoundException;
import gg.jte.output.StringOutput;

/**
 * The comparison as one self-contained HTML page, laid out by {@code src/main/jte/compare.jte}
 * with the audit report's CSS ({@code style.jte}): a column per model for the test split, the
 * probes and the detection scores, a reliability diagram per model, provenance. Every value is
 * escaped by jte (content type HTML); charts are PNG data URIs; no script, nothing loaded from
 * the network.
 */
public final class ComparisonHtml {
    /** Package of the precompiled template classes (jte-maven-plugin's {@code packageName}). */
    private static final String TEMPLATE_PACKAGE = "org.calibkit.report.html.templates";

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            ComparisonHtml.class.getClassLoader(), TEMPLATE_PACKAGE);

    private ComparisonHtml() {
    }

    /** The page as text. */
    public static String render(Comparison c) {
        Objects.requireNonNull(c, "comparison");
        ComparisonView view = ComparisonView.of(c);
        StringOutput out = new StringOutput(1 << 20);
        try {
            ENGINE.render("compare.jte", view, out);
        } catch (TemplateNotFoundException e) {
            throw new IllegalStateException("the comparison page's templates are not compiled into this build (package "
                    + TEMPLATE_PACKAGE + "); build the report module with Maven, whose jte-maven-plugin precompiles "
                    + "report/src/main/jte", e);
        }
        return out.toString();
    }

    /** Writes the page to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(Comparison c, Path file) {
        Objects.requireNonNull(file, "file");
        String html = render(c);
        AtomicWrite.writeUnchecked(file, tmp -> Files.writeString(tmp, html, StandardCharsets.UTF_8));
    }
}
