package org.calibkit.core.corrupt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;

/** Properties every corruption must have, on small generated images (strokes on black). */
class CorruptionPropertiesTest {
    /** Corruptions with no random draw at all: the same pixels whatever the seed. */
    private static final Set<String> DETERMINISTIC = Set.of("mnist-c/scale", "mnist-c/brightness", "mnist-c/stripe",
            "mnist-c/canny_edges", "cifar-c/defocus_blur", "cifar-c/brightness", "cifar-c/contrast", "cifar-c/pixelate",
            "cifar-c/jpeg_compression");

    /** {@code n} images of a few bright strokes on black (digit-like), 8-bit values, seeded. */
    static ImageSet strokes(int n, int channels, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int plane = size * size;
        float[] px = new float[n * channels * plane];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < 3; s++) {
                double x0 = size * (0.25 + 0.5 * r.nextDouble());
                double y0 = size * (0.2 + 0.6 * r.nextDouble());
                double a = r.nextDouble() * Math.PI;
                for (int t = -size / 3; t <= size / 3; t++) {
                    int x = (int) Math.round(x0 + t * Math.cos(a));
                    int y = (int) Math.round(y0 + t * Math.sin(a));
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && xx < size && yy >= 0 && yy < size) {
                                for (int c = 0; c < channels; c++) {
                                    px[i * channels * plane + c * plane + yy * size + xx] = 255f - 40f * c;
                                }
                            }
                        }
                    }
                }
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ImageSet(px, labels, channels, size, size, List.of("a", "b", "c"),
                new DataOrigin("strokes", "test", "generated", null, false));
    }

    private static ImageSet forFamily(Corruption c) {
        return c.family().equals("mnist-c") ? strokes(12, 1, 28, 7) : strokes(12, 3, 32, 7);
    }

    @Test
    void registryHoldsBothFamiliesWithUniqueNames() {
        assertEquals(15, Corruptions.family("mnist-c").size());
        assertEquals(10, Corruptions.family("cifar-c").size());
        assertEquals(125, Corruptions.points().size());
        assertEquals(125, Corruptions.points().stream().map(CorruptionPoint::name).distinct().count());
        assertEquals("mnist-c/rotate/3", Corruptions.select("mnist-c/rotate/3").get(0).name());
        assertEquals(5, Corruptions.select("mnist-c/rotate").size());
        assertEquals(75, Corruptions.select("mnist-c").size());
        assertEquals(6, Corruptions.select(" mnist-c/rotate , cifar-c/fog/5,mnist-c/rotate/2").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corruptions.select("mnist-c/rotate/6"));
        assertTrue(e.getMessage().contains("'mnist-c/rotate/6'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Corruptions.select("mnist-c/blur"));
        assertThrows(IllegalArgumentException.class, () -> Corruptions.select("mnist-c,"));
        assertTrue(Corruptions.isFamilyName("cifar-c/fog"));
        assertFalse(Corruptions.isFamilyName("rotated-15"));
    }

    @Test
    void everyCorruptionKeepsShapeLabelsAndRangeAndIsDeterministic() {
        for (Corruption c : Corruptions.all()) {
            ImageSet clean = forFamily(c);
            for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                ImageSet a = c.apply(clean, s, 11);
                assertEquals(clean.size(), a.size(), c.key(s));
                assertArrayEquals(clean.shape(), a.shape(), c.key(s));
                assertArrayEquals(clean.labels(), a.labels(), c.key(s));
                for (float v : a.rawPixels()) {
                    assertTrue(v >= 0f && v <= 255f, c.key(s) + " gave " + v);
                }
                assertArrayEquals(a.rawPixels(), c.apply(clean, s, 11).rawPixels(), c.key(s) + " is not deterministic");
                // apply corrupts the images on every core: the same as one by one, in order
                int per = clean.pixelsPerImage();
                float[] one = new float[clean.rawPixels().length];
                for (int i = 0; i < clean.size(); i++) {
                    c.applyInto(clean.rawPixels(), i * per, one, i * per, clean.channels(), clean.height(), clean.width(),
                            s, c.random(11, i));
                }
                assertArrayEquals(one, a.rawPixels(), c.key(s) + ": in parallel differs from one by one");
                boolean changed = !java.util.Arrays.equals(a.rawPixels(), c.apply(clean, s, 12).rawPixels());
                assertEquals(!DETERMINISTIC.contains(c.key()), changed, c.key(s) + ": another seed must change exactly the random ones");
                assertFalse(java.util.Arrays.equals(a.rawPixels(), clean.rawPixels()), c.key(s) + " left the images unchanged");
            }
        }
    }

    /** Mean over images of the root-mean-square pixel difference to the clean image, on 0..1. */
    static double distance(ImageSet clean, ImageSet corrupted) {
        float[] a = clean.rawPixels();
        float[] b = corrupted.rawPixels();
        int per = clean.pixelsPerImage();
        double total = 0;
        for (int i = 0; i < clean.size(); i++) {
            double ss = 0;
            for (int p = i * per; p < (i + 1) * per; p++) {
                double d = (a[p] - b[p]) / 255.0;
                ss += d * d;
            }
            total += Math.sqrt(ss / per);
        }
        return total / clean.size();
    }

    @Test
    void distanceFromTheCleanImageGrowsWithSeverity() {
        List<String> failures = new ArrayList<>();
        for (Corruption c : Corruptions.all()) {
            ImageSet clean = forFamily(c);
            double previous = 0;
            for (int s = 1; s <= Corruption.SEVERITIES; s++) {
                double d = distance(clean, c.apply(clean, s, 3));
                // 1% slack: the noise of 12 images, not a trend
                if (d < previous * 0.99) {
                    failures.add(String.format("%s: %.4f after %.4f", c.key(s), d, previous));
                }
                previous = Math.max(previous, d);
            }
        }
        assertTrue(failures.isEmpty(), "not monotone: " + failures);
    }

    @Test
    void identityAtTheZeroPoint() {
        ImageSet clean = strokes(4, 1, 28, 1);
        assertArrayEquals(clean.rawPixels(), Shifts.rotate(clean, 0).rawPixels());
        assertArrayEquals(clean.rawPixels(), Shifts.translate(clean, 0, 5).rawPixels());
        double[] x = CorruptionReferenceTest.unit(clean.slice(0, 1, "one"));
        assertArrayEquals(x, CifarC.hsvBrightness(x, 1, 28, 28, 0), 1e-12, "brightness + 0");
        assertArrayEquals(x, Filters.aboutCentre(x, 28, 28, 1, 0, 0, 1), 1e-12, "identity warp");
        assertArrayEquals(x, Filters.motionBlur(x, 28, 28, 0, 1, 30), 1e-12, "motion blur of radius 0");
        assertArrayEquals(x, Filters.resizeBox(x, 28, 28, 28, 28), 1e-12, "box resize to the same size");
        assertArrayEquals(x, Filters.gaussian(x, 28, 28, 0, 0, Filters.Border.NEAREST), 0, "gaussian of sigma 0");
    }

    @Test
    void quarterTurnsAndShiftsAreExactPermutations() {
        ImageSet clean = strokes(2, 1, 28, 2);
        float[] once = Shifts.rotate(clean, 90).rawPixels();
        float[] p = clean.rawPixels();
        // counter-clockwise as displayed: output (row r, col c) = input (row c, col 27 - r)
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                assertEquals(p[c * 28 + (27 - r)], once[r * 28 + c], 0f);
            }
        }
        float[] moved = Shifts.translate(clean, 3, 9).rawPixels();
        double sumMoved = 0;
        double sumCut = 0;
        for (int i = 0; i < 28 * 28; i++) {
            sumMoved += moved[i];
            sumCut += p[i];
        }
        assertTrue(sumMoved <= sumCut);
        assertThrows(IllegalArgumentException.class, () -> Shifts.translate(clean, -1, 0));
    }

    @Test
    void severityOutsideTheLadderIsRefused() {
        Corruption c = Corruptions.byKey("mnist-c/fog").orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.apply(strokes(1, 1, 28, 0), 0, 0));
        assertTrue(e.getMessage().contains("mnist-c/fog") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CorruptionPoint(c, 6));
    }

    @Test
    void shotNoiseHasThePoissonMeanAndVariance() {
        // poisson(x c) / c: mean x, variance x / c; checked on 200,000 draws at x = 0.6 (lambda 1.8 and 300)
        for (double c : new double[] {3, 500}) {
            SplittableRandom r = new SplittableRandom(4);
            int n = 200_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double v = Filters.poisson(0.6 * c, r) / c;
                sum += v;
                sq += v * v;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(0.6, mean, 4 * Math.sqrt(0.6 / c / n), "mean at c=" + c);
            assertEquals(0.6 / c, var, 0.02 * 0.6 / c, "variance at c=" + c);
        }
    }
}
