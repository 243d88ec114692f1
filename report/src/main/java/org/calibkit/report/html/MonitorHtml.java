package org.calibkit.report.html;

import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.report.render.TextFiles;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.render.Templates;

/** The monitor's self-contained HTML page: alerts first, charts as PNG data URIs, every value escaped by jte. */
public final class MonitorHtml {
    private MonitorHtml() {
    }

    /** The page as text. */
    public static String render(MonitorResult r) {
        return Templates.render("monitor.jte", MonitorView.of(Objects.requireNonNull(r, "result")), "the monitor page");
    }

    /** Writes the page to {@code file} atomically. */
    public static void write(MonitorResult r, Path file) {
        TextFiles.writeUtf8(file, render(r));
    }
}
