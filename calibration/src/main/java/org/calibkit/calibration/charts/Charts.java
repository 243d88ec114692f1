package org.calibkit.calibration.charts;

import org.calibkit.calibration.io.AtomicWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes charts to files: for each named chart a {@code name.png} and a {@code name.svg}. Each
 * file is written to a temporary file in the target directory and then moved into place, so a
 * reader never sees a half-written chart.
 */
public final class Charts {
    /** Default size of a single chart in pixels. */
    public static final int WIDTH = 800;
    /** Default height of a single chart in pixels. */
    public static final int HEIGHT = 640;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private Charts() {
    }

    /**
     * Writes every chart as PNG and SVG of the given size into {@code dir} (created if missing).
     *
     * @param charts file base names (letters, digits, '.', '_', '-') to chart data, in the order to write
     * @return the files written, in order
     * @throws IllegalArgumentException for a bad file name or size
     * @throws UncheckedIOException     naming the file that could not be written
     */
    public static List<Path> writeAll(Path dir, Map<String, ? extends ChartData> charts, int width, int height) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(charts, "charts");
        for (String name : charts.keySet()) {
            checkName(name);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create chart directory " + dir + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, ? extends ChartData> e : charts.entrySet()) {
            written.addAll(write(dir, e.getKey(), e.getValue(), width, height));
        }
        return written;
    }

    /** Writes {@code name.png} and {@code name.svg} for one chart; returns both paths. */
    public static List<Path> write(Path dir, String name, ChartData data, int width, int height) {
        checkName(name);
        byte[] png = ChartRenderer.png(data, width, height);
        byte[] svg = ChartRenderer.svg(data, width, height).getBytes(StandardCharsets.UTF_8);
        Path p = writeAtomically(dir.resolve(name + ".png"), png);
        Path s = writeAtomically(dir.resolve(name + ".svg"), svg);
        return List.of(p, s);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Expected a chart file name of letters, digits, '.', '_' and '-', "
                    + "but got '" + name + "'");
        }
    }

    /** Writes bytes to a temporary file beside the target, then moves it into place. */
    static Path writeAtomically(Path target, byte[] bytes) {
        try {
            return AtomicWrite.write(target, tmp -> Files.write(tmp, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write chart file " + target + ": " + e.getMessage(), e);
        }
    }
}
