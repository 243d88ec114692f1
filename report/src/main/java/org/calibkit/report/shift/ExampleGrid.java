package org.calibkit.report.shift;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.corrupt.Gallery;

/**
 * One test image under every corruption of the sweeps: a row per corruption, the clean image then
 * severities 1 to 5 ({@link Gallery#grid}), as pixels (channel-major, 0..255); the HTML layer
 * draws it. At most {@link #MAX_ROWS} corruptions are shown.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   pixel rows
 * @param width    pixel columns
 * @param values   channels x height x width values
 * @param rows     the corruption of each row, top to bottom
 */
public record ExampleGrid(int channels, int height, int width, float[] values, List<String> rows) {
    /** Corruptions shown at most. */
    public static final int MAX_ROWS = 15;

    public ExampleGrid {
        Objects.requireNonNull(values, "values");
        rows = List.copyOf(rows);
        if (values.length != channels * height * width) {
            throw new IllegalArgumentException("a grid of " + channels + "x" + height + "x" + width + " needs "
                    + channels * height * width + " values, but got " + values.length);
        }
        values = values.clone();
    }

    /** A copy of the values. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** Image {@code index} of {@code images} under the first {@link #MAX_ROWS} of {@code corruptions}, enlarged {@code zoom} times. */
    public static ExampleGrid of(ImageSet images, int index, List<Corruption> corruptions, long seed, int zoom) {
        List<Corruption> shown = corruptions.subList(0, Math.min(MAX_ROWS, corruptions.size()));
        BufferedImage img = Gallery.grid(images, index, shown, seed, zoom);
        int c = images.channels() == 1 ? 1 : 3;
        int h = img.getHeight();
        int w = img.getWidth();
        float[] v = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                if (c == 1) {
                    v[y * w + x] = (rgb >> 16) & 0xff; // the grid is RGB; a grey image has r = g = b
                } else {
                    v[y * w + x] = (rgb >> 16) & 0xff;
                    v[(h + y) * w + x] = (rgb >> 8) & 0xff;
                    v[(2 * h + y) * w + x] = rgb & 0xff;
                }
            }
        }
        return new ExampleGrid(c, h, w, v, shown.stream().map(Corruption::key).toList());
    }
}
