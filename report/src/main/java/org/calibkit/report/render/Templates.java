package org.calibkit.report.render;

import java.util.Objects;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateNotFoundException;
import gg.jte.output.StringOutput;

/**
 * The one jte engine of the HTML pages: precompiled templates (jte-maven-plugin's
 * {@code packageName}), HTML content type so every {@code ${...}} is escaped.
 */
public final class Templates {
    /** Package of the precompiled template classes. */
    public static final String PACKAGE = "org.calibkit.report.html.templates";

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Templates.class.getClassLoader(), PACKAGE);

    private Templates() {
    }

    /**
     * The page {@code template} (e.g. {@code report.jte}) rendered with {@code model}.
     *
     * @param what what the page is, for the message when the templates are not compiled in
     * @throws IllegalStateException when the build holds no precompiled templates
     */
    public static String render(String template, Object model, String what) {
        Objects.requireNonNull(model, "model");
        StringOutput out = new StringOutput(1 << 20);
        try {
            ENGINE.render(template, model, out);
        } catch (TemplateNotFoundException e) {
            throw new IllegalStateException(what + "'s templates are not compiled into this build (package "
                    + PACKAGE + "); build the report module with Maven, whose jte-maven-plugin precompiles "
                    + "report/src/main/jte", e);
        }
        return out.toString();
    }
}
