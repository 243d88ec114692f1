package org.calibkit.report.html;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.calibkit.report.audit.AuditResult;

/** Small PNGs of gallery images as their data set shows them (0..255, grey or RGB). */
final class Thumbnails {
    private Thumbnails() {
    }

    /** The image as a PNG, pixel for pixel (the page scales it up). */
    static byte[] png(AuditResult.Pixels image) {
        return png(image.channels(), image.height(), image.width(), image.values());
    }

    /** Channel-major pixels (0..255, 1 or 3 channels) as a PNG. */
    static byte[] png(int c, int h, int w, float[] px) {
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, clamp(px[y * w + x]));
                } else {
                    int r = clamp(px[y * w + x]);
                    int g = clamp(px[(h + y) * w + x]);
                    int b = clamp(px[(2 * h + y) * w + x]);
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
