package org.calibkit.cli.metrics;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.Messages;
import org.calibkit.core.outputs.OutputFiles;

/**
 * The files {@code metrics --plot DIR} may write, checked before any work as {@code audit}
 * checks {@code --out} ({@link OutputFiles#check}): the directory must be one (or not exist yet),
 * and no chart file may be an input of the run, a device, FIFO, socket, directory or link.
 */
final class PlotOutputs {
    /** Every chart {@link MetricsJob} can write: KIND-WHEN.png and .svg (classwise only up to its class limit). */
    static final List<String> CHARTS = List.of("reliability", "confidence", "classwise");

    private PlotOutputs() { }

    /**
     * @throws CalibkitException naming {@code --plot}, the file and why it cannot be written
     */
    static void check(Path plotDir, List<Path> inputs) {
        if (plotDir.toString().isEmpty()) {
            throw new CalibkitException("--plot is empty or names no directory");
        }
        if (Files.exists(plotDir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(plotDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new CalibkitException("--plot " + Messages.printable(plotDir.toString())
                    + " exists and is not a directory; name a directory for the charts");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String when : List.of("before", "after")) {
            for (String kind : CHARTS) {
                for (String ext : List.of(".png", ".svg")) {
                    String name = kind + "-" + when + ext;
                    files.put("--plot chart " + name + " at", plotDir.resolve(name));
                }
            }
        }
        OutputFiles.check(files, inputs);
    }
}
