package org.calibkit.cli.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Json;

/**
 * An audit's HTML page and JSON twin, rendered (the page first, then the JSON with the monitor
 * reference fitted on the outputs' validation split) and written. (Building the JSON on a second thread
 * while the page rendered was measured, 2026-12-08: no faster on two cores, so it is not done.)
 */
final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Renders both and writes them together (both land, or neither), then says so with the time taken.
     *
     * @param outputs what the audit was computed from, or null (a log audited on Spark has no rows on
     *                the driver to fit a monitor reference on)
     * @param json    the JSON file, or null for none
     */
    static void write(Path html, Path json, AuditResult r, ModelOutputs outputs, Consumer<String> progress) {
        long t0 = System.nanoTime();
        OutputFiles.writeTogether(render(html, json, r, outputs, progress));
        progress.accept(String.format(Locale.ROOT, "audit: wrote %s%s in %.2f s", html, json == null ? "" : " and " + json,
                (System.nanoTime() - t0) / 1e9));
    }

    private static List<OutputFiles.Output> render(Path html, Path json, AuditResult r, ModelOutputs outputs,
                                                   Consumer<String> progress) {
        return OutputFiles.pageAndJson(html, HtmlReport.render(r), json, () -> {
            com.fasterxml.jackson.databind.node.ObjectNode tree = AuditJson.tree(r);
            if (outputs != null) {
                MonitorReferences.of(outputs, r, tree, progress)
                        .ifPresent(ref -> tree.set("monitor_reference", ref));
            }
            return Json.writePretty(tree) + "\n";
        });
    }
}
