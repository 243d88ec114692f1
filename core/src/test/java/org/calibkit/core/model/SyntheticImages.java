package org.calibkit.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * Small labelled image sets for training tests, made on the fly from a seed: class k is a bright
 * bar through the centre at angle {@code k * 180 / K} degrees, shifted by up to 3 pixels,
 * with uniform background noise, on the 0..255 pixel convention. Colour images draw the bar in a
 * random colour per image, so colour carries no label. Learnable, but not by memorising pixels.
 */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /** {@code n} images of {@code classes} classes, shape channels x size x size. */
    public static ImageSet bars(int n, int classes, int channels, int size, long seed, String split) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int per = channels * size * size;
        float[] px = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            double angle = Math.PI * k / classes;
            double dx = Math.cos(angle);
            double dy = Math.sin(angle);
            double cx = size / 2.0 + rnd.nextInt(-3, 4);
            double cy = size / 2.0 + rnd.nextInt(-3, 4);
            double len = size * (0.3 + 0.1 * rnd.nextDouble());
            float[] colour = new float[channels];
            for (int c = 0; c < channels; c++) {
                colour[c] = channels == 1 ? 230f : 80f + 175f * (float) rnd.nextDouble();
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double rx = x - cx;
                    double ry = y - cy;
                    double along = rx * dx + ry * dy;
                    double across = Math.abs(-rx * dy + ry * dx);
                    boolean on = Math.abs(along) <= len && across <= 1.3;
                    for (int c = 0; c < channels; c++) {
                        float noise = (float) (rnd.nextDouble() * 40);
                        float v = on ? colour[c] - noise : noise;
                        px[i * per + (c * size + y) * size + x] = Math.max(0f, Math.min(255f, v));
                    }
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("bar" + k);
        }
        return new ImageSet(px, labels, channels, size, size, names,
                new DataOrigin("synthetic-bars", split, "seed " + seed, null, false));
    }
}
