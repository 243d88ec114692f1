package org.calibkit.core.corrupt;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

import org.calibkit.core.ImageSet;

/**
 * A grid picture of corruptions: one row per corruption, the clean image in the first column and
 * severities 1..5 in the next five, every image enlarged by a whole factor (nearest neighbour),
 * separated by a 2-pixel grey gap. Pixels are shown as they are (0..255, grey or RGB).
 */
public final class Gallery {
    private static final int GAP = 2;
    private static final int GAP_GREY = 0x808080;

    private Gallery() {
    }

    /**
     * The grid of image {@code index} of {@code images} under each of {@code corruptions}, corrupted
     * with {@code seed}, each cell {@code zoom} times the image's size.
     */
    public static BufferedImage grid(ImageSet images, int index, List<Corruption> corruptions, long seed, int zoom) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(corruptions, "corruptions");
        if (zoom < 1) {
            throw new IllegalArgumentException("zoom must be >= 1, but got " + zoom);
        }
        ImageSet one = images.slice(index, index + 1, images.origin().split());
        int h = images.height() * zoom;
        int w = images.width() * zoom;
        int cols = Corruption.SEVERITIES + 1;
        BufferedImage out = new BufferedImage(cols * (w + GAP) + GAP, corruptions.size() * (h + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, GAP_GREY);
            }
        }
        for (int row = 0; row < corruptions.size(); row++) {
            for (int col = 0; col < cols; col++) {
                ImageSet cell = col == 0 ? one : corruptions.get(row).apply(one, col, seed);
                draw(out, cell, GAP + col * (w + GAP), GAP + row * (h + GAP), zoom);
            }
        }
        return out;
    }

    private static void draw(BufferedImage out, ImageSet cell, int x0, int y0, int zoom) {
        float[] px = cell.rawPixels();
        int h = cell.height();
        int w = cell.width();
        int plane = h * w;
        boolean rgb = cell.channels() >= 3;
        for (int r = 0; r < h * zoom; r++) {
            for (int c = 0; c < w * zoom; c++) {
                int p = (r / zoom) * w + c / zoom;
                int red = level(px[p]);
                int green = rgb ? level(px[plane + p]) : red;
                int blue = rgb ? level(px[2 * plane + p]) : red;
                out.setRGB(x0 + c, y0 + r, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static int level(float v) {
        return (int) Math.rint(Math.min(Math.max(v, 0f), 255f));
    }
}
