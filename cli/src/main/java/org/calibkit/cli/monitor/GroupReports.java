package org.calibkit.cli.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.outputs.OutputFiles;
import org.calibkit.report.html.MonitorHtml;
import org.calibkit.report.json.MonitorJson;
import org.calibkit.report.monitor.MonitorResult;

/**
 * The files of a monitor grouped by a column ({@code --group-by model}): for each value, the page
 * {@code OUT-VALUE.html} and the JSON {@code JSON-VALUE.json} next to {@code --out} and
 * {@code --json}, each the single-machine rendering of that group's result, written together
 * (all or none). A value that cannot name a file is refused in one line.
 */
final class GroupReports {
    /** A group's value as it goes into file names: letters, digits, '.', '_' and '-', up to 64 of them. */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private GroupReports() {
    }

    /**
     * Writes every group's page (and JSON when {@code json} is not null).
     *
     * @param location the log, for messages
     * @param column   the column grouped by, for messages
     * @throws CalibkitException for a value that cannot name a file, or outputs that clash with inputs
     */
    static void write(Map<String, MonitorResult> groups, Path html, Path json, List<Path> inputs, String location,
                      String column) {
        List<OutputFiles.Output> files = new ArrayList<>();
        Map<String, Path> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, MonitorResult> g : groups.entrySet()) {
            if (!GROUP.matcher(g.getKey()).matches() || g.getKey().startsWith(".")) {
                throw new CalibkitException("prediction log " + location + ": column " + column + " has the value '"
                        + g.getKey().replaceAll("[^\\x20-\\x7e]", "?") + "', which cannot name a report file (letters, "
                        + "digits, '.', '_' and '-', up to 64, not starting with '.')");
            }
            Path page = suffixed(html, g.getKey());
            String text = MonitorHtml.render(g.getValue());
            outputs.put("--out (" + g.getKey() + ")", page);
            files.add(OutputFiles.Output.utf8("--out", page, text));
            if (json != null) {
                Path j = suffixed(json, g.getKey());
                String t = MonitorJson.toJson(g.getValue()) + "\n";
                outputs.put("--json (" + g.getKey() + ")", j);
                files.add(OutputFiles.Output.utf8("--json", j, t));
            }
        }
        OutputFiles.check(outputs, inputs);
        OutputFiles.writeTogether(files);
    }

    /** {@code dir/report.html} with group {@code v1}: {@code dir/report-v1.html}. */
    static Path suffixed(Path file, String group) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String named = dot > 0 ? name.substring(0, dot) + "-" + group + name.substring(dot) : name + "-" + group;
        return file.resolveSibling(named);
    }
}
