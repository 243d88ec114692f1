package org.calibkit.cli.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.render.Json;

/**
 * An audit's HTML page and JSON twin, rendered to text: the JSON (with the monitor reference fitted
 * on the outputs' validation split) is built on a thread of its own while the page renders, and
 * its progress lines are kept and written when the JSON is taken, after the page, as when the two
 * were built one after the other.
 */
final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * @param outputs what the audit was computed from, or null (a log audited on Spark has no rows on
     *                the driver to fit a monitor reference on)
     * @param json    the JSON file, or null for none
     */
    static List<OutputFiles.Output> render(Path html, Path json, AuditResult r, ModelOutputs outputs,
                                           Consumer<String> progress) {
        List<String> jsonLines = Collections.synchronizedList(new ArrayList<>());
        Background<String> jsonText = json == null ? null : Background.start("calibkit-json", () -> {
            com.fasterxml.jackson.databind.node.ObjectNode tree = AuditJson.tree(r);
            if (outputs != null) {
                MonitorReferences.of(outputs, r, tree, jsonLines::add)
                        .ifPresent(ref -> tree.set("monitor_reference", ref));
            }
            return Json.writePretty(tree) + "\n";
        });
        return OutputFiles.pageAndJson(html, HtmlReport.render(r), json, () -> {
            try {
                return jsonText.get();
            } finally {
                jsonLines.forEach(progress);
            }
        });
    }
}
