package org.calibkit.report.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.ClassNames;
import org.calibkit.core.model.Preprocessing;
import org.junit.jupiter.api.Test;

/** The probes that need no data set, on small test sets built here. */
class ProbesTest {
    static final List<String> NAMES = List.of("blank-black", "blank-white", "constant-grey", "noise-uniform",
            "noise-gaussian", "inverted", "unscaled", "notmnist", "fashion-mnist", "omniglot", "mnist", "usps",
            "rotated-15", "rotated-30", "rotated-45", "rotated-60", "rotated-90", "shifted-2", "shifted-4", "shifted-6");

    /** {@code n} images of random whole values 0..255, labels {@code i % 10}, digit classes. */
    static ImageSet randomTest(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet(px, labels, c, h, w, ClassNames.DIGITS, new DataOrigin("small", "test", "memory", null, false));
    }

    static ProbeImages run(String probe, ProbeContext ctx) {
        return Probes.select(probe).get(0).generate(ctx);
    }

    /** The index of the test image equal to {@code img} after {@code undo}, -1 if none. */
    static int find(ImageSet test, float[] img, java.util.function.DoubleUnaryOperator undo, double tol) {
        for (int j = 0; j < test.size(); j++) {
            float[] t = test.image(j);
            boolean same = true;
            for (int p = 0; p < t.length && same; p++) {
                same = Math.abs(undo.applyAsDouble(img[p]) - t[p]) <= tol;
            }
            if (same) {
                return j;
            }
        }
        return -1;
    }

    @Test
    void namesAndOrder() {
        assertEquals(NAMES, Probes.names());
        assertEquals(NAMES, Probes.all().stream().map(Probe::name).toList());
        assertEquals(Probes.all(), Probes.select("all"));
        // report order and no repeats, whatever the order asked
        assertEquals(List.of("blank-black", "usps", "rotated-90"),
                Probes.select(" rotated-90,usps , blank-black,usps").stream().map(Probe::name).toList());
        for (Probe p : Probes.all()) {
            assertTrue(p.description().endsWith("."), p.name() + ": " + p.description());
        }
    }

    @Test
    void unknownProbeNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probes.select("blank-black,blanc"));
        assertTrue(e.getMessage().startsWith("unknown probe 'blanc' in 'blank-black,blanc'; known: blank-black, "
                + "blank-white, constant-grey"), e.getMessage());
        assertTrue(e.getMessage().contains("shifted-6 (or all)"), e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Probes.select("usps,,mnist"));
        assertTrue(empty.getMessage().contains("an empty name"), empty.getMessage());
    }

    @Test
    void contextRefusesBadValuesByName() {
        ImageSet t = randomTest(3, 1, 4, 4, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProbeContext.of(t, "x").withSize(0))
                .getMessage().contains("size (images per probe) must be > 0, but got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProbeContext.of(t, "x").withInputScale(Double.NaN))
                .getMessage().contains("inputScale must be finite and > 0, but got NaN"));
        ImageSet none = t.slice(0, 0, "test");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProbeContext.of(none, "x"))
                .getMessage().contains("at least one image"));
    }

    @Test
    void blanksAreConstantUnlabelledAndNamed() {
        ImageSet t = randomTest(5, 3, 6, 7, 2);
        ProbeContext ctx = ProbeContext.of(t, "small").withSize(40);
        for (String name : List.of("blank-black", "blank-white")) {
            ProbeImages p = run(name, ctx);
            float v = name.equals("blank-black") ? 0f : 255f;
            ImageSet s = p.images();
            assertEquals(40, s.size());
            assertArrayEquals(new int[] {3, 6, 7}, s.shape());
            float[] expected = new float[40 * 3 * 6 * 7];
            Arrays.fill(expected, v);
            assertArrayEquals(expected, s.rawPixels(), 0f);
            assertArrayEquals(new int[40], s.labels());
            assertFalse(p.labelled());
            assertFalse(p.bypassRangeCheck());
            assertEquals(ProbeKind.NO_SIGNAL, p.kind());
            assertEquals(name, s.origin().dataset());
            assertEquals("probe", s.origin().split());
            assertEquals(ClassNames.DIGITS, s.classNames());
        }
    }

    @Test
    void constantGreyHasThreeLevelsInEvenBlocks() {
        // levels 0.25, 0.5, 0.75 of 255 = 63.75, 127.5, 191.25 (exact in binary, not rounded);
        // 1,000 images: block k holds images i with floor(3i/1000) = k -> 334, 333, 333
        ProbeImages p = run("constant-grey", ProbeContext.of(randomTest(2, 1, 28, 28, 3), "small"));
        ImageSet s = p.images();
        assertEquals(1000, s.size());
        float[] levels = {63.75f, 127.5f, 191.25f};
        int[] counts = new int[3];
        for (int i = 0; i < s.size(); i++) {
            float[] img = s.image(i);
            int k = Arrays.binarySearch(levels, img[0]);
            assertTrue(k >= 0, "image " + i + " has level " + img[0]);
            for (float v : img) {
                assertEquals(levels[k], v, 0f);
            }
            counts[k]++;
            assertEquals(i < 334 ? 0 : i < 667 ? 1 : 2, k, "image " + i);
        }
        assertArrayEquals(new int[] {334, 333, 333}, counts);
    }

    @Test
    void uniformNoiseHasTheMomentsOfU0To255() {
        // U[0, 255]: mean 127.5, standard deviation 255 / sqrt(12) = 73.6122; 784,000 draws give a
        // standard error of 0.083 for the mean, so 0.5 is a tolerance of 6 standard errors
        ImageSet s = run("noise-uniform", ProbeContext.of(randomTest(2, 1, 28, 28, 4), "small").withSeed(11)).images();
        double[] m = moments(s.rawPixels());
        assertEquals(127.5, m[0], 0.5);
        assertEquals(255 / Math.sqrt(12), m[1], 0.5);
        assertTrue(m[2] >= 0 && m[3] <= 255, "range " + m[2] + ".." + m[3]);
    }

    @Test
    void gaussianNoiseHasTheTestSetsChannelMoments() {
        // each channel of the test set takes exactly two values m - s and m + s, equally often, so
        // its mean is m and its (population) standard deviation s, by construction; the means are
        // more than 5 s from 0 and 255, so clipping moves the moments by less than 1e-5
        double[] mean = {60, 128, 190};
        double[] std = {10, 20, 12};
        int n = 10;
        int plane = 8 * 8;
        float[] px = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    px[(i * 3 + c) * plane + p] = (float) (mean[c] + ((p + i) % 2 == 0 ? std[c] : -std[c]));
                }
            }
        }
        ImageSet t = new ImageSet(px, new int[n], 3, 8, 8, ClassNames.DIGITS, new DataOrigin("two", "test", "memory", null, false));
        ImageSet s = run("noise-gaussian", ProbeContext.of(t, "two").withSize(2000)).images();
        for (int c = 0; c < 3; c++) {
            float[] channel = new float[2000 * plane];
            for (int i = 0; i < 2000; i++) {
                System.arraycopy(s.rawPixels(), (i * 3 + c) * plane, channel, i * plane, plane);
            }
            double[] m = moments(channel);
            // 128,000 draws: standard error of the mean <= 20 / 358 = 0.056, of the std <= 0.04
            assertEquals(mean[c], m[0], 0.3, "mean of channel " + c);
            assertEquals(std[c], m[1], 0.25, "std of channel " + c);
        }
    }

    @Test
    void invertedIsTheTestImagesUpsideDownInBrightness() {
        // each probe image x' must be 255 - x of a test image with the same label, and inverting
        // twice gives the test image back: 255 - (255 - x) == x, found by search over the test set
        ImageSet t = randomTest(20, 1, 10, 10, 5);
        ProbeImages p = run("inverted", ProbeContext.of(t, "small").withSize(50));
        assertTrue(p.labelled());
        assertEquals(ProbeKind.SHIFT, p.kind());
        ImageSet s = p.images();
        assertEquals(20, s.size(), "at most as many as the test set has");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            int j = find(t, s.image(i), v -> 255 - v, 0);
            assertTrue(j >= 0, "image " + i + " is no inverted test image");
            assertEquals(t.label(j), s.label(i));
            seen.add(j);
        }
        assertEquals(20, seen.size(), "every test image once");
    }

    @Test
    void unscaledUndoesTheModelsScale() {
        // model scaling 1/255: unscaled x 1/255 must give the test pixels back (the model sees
        // 0..255 where it expects 0..1); model fed raw pixels (scale 1): unscaled x 255 gives them back
        ImageSet t = randomTest(12, 1, 6, 6, 6);
        ProbeImages p = run("unscaled", ProbeContext.of(t, "small").withSize(12));
        assertEquals(ProbeKind.PREPROCESSING, p.kind());
        assertTrue(p.labelled());
        assertTrue(p.bypassRangeCheck());
        for (int i = 0; i < 12; i++) {
            int j = find(t, p.images().image(i), v -> v * (1 / 255.0), 1e-3);
            assertTrue(j >= 0, "image " + i);
            assertEquals(t.label(j), p.images().label(i));
        }
        // the bundle's own range guard flags them, which is why the audit must bypass it
        Preprocessing pre = Preprocessing.unitScale(1, 6, 6);
        assertTrue(pre.checkRange(t).ok());
        assertFalse(pre.checkRange(p.images()).ok());
        assertTrue(p.images().rawPixels().length > 0 && moments(p.images().rawPixels())[3] > 255 * 200);

        ProbeImages raw = run("unscaled", ProbeContext.of(t, "small").withSize(12).withInputScale(1.0));
        assertTrue(raw.bypassRangeCheck());
        for (int i = 0; i < 12; i++) {
            assertTrue(find(t, raw.images().image(i), v -> v * 255.0, 1e-3) >= 0, "image " + i);
        }
        assertTrue(moments(raw.images().rawPixels())[3] <= 1.0);
    }

    @Test
    void testImageProbesArePairedAndRotated90IsRot90() {
        // inverted, unscaled, rotated-* and shifted-* transform the same test images in the same
        // order: 255 - inverted[i] == unscaled[i] / 255 == the source; rotated-90[i] == np.rot90(source)
        ImageSet t = randomTest(30, 2, 9, 9, 7);
        ProbeContext ctx = ProbeContext.of(t, "small").withSize(10).withSeed(3);
        ImageSet inv = run("inverted", ctx).images();
        ImageSet uns = run("unscaled", ctx).images();
        ImageSet rot = run("rotated-90", ctx).images();
        for (int i = 0; i < 10; i++) {
            float[] src = inv.image(i);
            for (int k = 0; k < src.length; k++) {
                src[k] = 255 - src[k];
            }
            float[] u = uns.image(i);
            for (int k = 0; k < src.length; k++) {
                assertEquals(src[k], u[k] / 255f, 1e-3);
            }
            float[] r = rot.image(i);
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 9; y++) {
                    for (int x = 0; x < 9; x++) {
                        assertEquals(src[c * 81 + x * 9 + (8 - y)], r[c * 81 + y * 9 + x], 0f);
                    }
                }
            }
            assertEquals(inv.label(i), rot.label(i));
        }
    }

    @Test
    void shiftedMovesEachImageByAboutThatManyPixelsInVaryingDirections() {
        // for each image, search every whole offset (dx, dy) in [-k-1, k+1]^2 for the one that
        // moves the source (recovered from the paired inverted probe) onto the probe image with
        // zero fill; |(dx, dy)| must be within sqrt(0.5) of k (rounding of k(cos a, sin a))
        ImageSet t = randomTest(60, 1, 16, 16, 8);
        ProbeContext ctx = ProbeContext.of(t, "small").withSize(60);
        ImageSet inv = run("inverted", ctx).images();
        for (int k : new int[] {2, 4, 6}) {
            ImageSet s = run("shifted-" + k, ctx).images();
            Set<String> directions = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                float[] src = inv.image(i);
                for (int p = 0; p < src.length; p++) {
                    src[p] = 255 - src[p];
                }
                float[] img = s.image(i);
                String found = null;
                for (int dy = -k - 1; dy <= k + 1 && found == null; dy++) {
                    for (int dx = -k - 1; dx <= k + 1 && found == null; dx++) {
                        boolean same = true;
                        for (int y = 0; y < 16 && same; y++) {
                            for (int x = 0; x < 16 && same; x++) {
                                int sx = x - dx;
                                int sy = y - dy;
                                float v = sx >= 0 && sx < 16 && sy >= 0 && sy < 16 ? src[sy * 16 + sx] : 0f;
                                same = v == img[y * 16 + x];
                            }
                        }
                        if (same) {
                            assertEquals(k, Math.hypot(dx, dy), Math.sqrt(0.5) + 1e-9, "shifted-" + k + " image " + i);
                            found = dx + "," + dy;
                        }
                    }
                }
                assertTrue(found != null, "shifted-" + k + " image " + i + " is no shift of its source");
                directions.add(found);
                assertEquals(inv.label(i), s.label(i));
            }
            assertTrue(directions.size() >= 6, "shifted-" + k + " directions " + directions);
        }
    }

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        ImageSet t = randomTest(40, 1, 12, 12, 9);
        ProbeContext ctx = ProbeContext.of(t, "small").withSize(25).withSeed(42);
        List<Probe> synthetic = new ArrayList<>();
        for (Probe p : Probes.all()) {
            if (!List.of("notmnist", "fashion-mnist", "omniglot", "mnist", "usps").contains(p.name())) {
                synthetic.add(p);
            }
        }
        List<ProbeOutcome> a = Probes.generate(synthetic, ctx, line -> { });
        List<ProbeOutcome> b = Probes.generate(synthetic, ctx, line -> { });
        List<ProbeOutcome> other = Probes.generate(synthetic, ctx.withSeed(43), line -> { });
        Set<String> constant = Set.of("blank-black", "blank-white", "constant-grey");
        for (int i = 0; i < synthetic.size(); i++) {
            String name = synthetic.get(i).name();
            ImageSet x = a.get(i).images().images();
            assertArrayEquals(x.rawPixels(), b.get(i).images().images().rawPixels(), 0f, name);
            assertArrayEquals(x.labels(), b.get(i).images().images().labels(), name);
            boolean same = Arrays.equals(x.rawPixels(), other.get(i).images().images().rawPixels());
            // only the constant images do not depend on the seed; the others draw noise, directions
            // or which 25 of the 40 test images to use
            assertEquals(constant.contains(name), same, name);
        }
    }

    @Test
    void generateReportsEachProbeAndKeepsOrder() {
        ImageSet t = randomTest(8, 1, 8, 8, 10);
        List<String> lines = new ArrayList<>();
        List<ProbeOutcome> out = Probes.generate(Probes.select("rotated-45,blank-white"), ProbeContext.of(t, "small"),
                lines::add);
        assertEquals(List.of("blank-white", "rotated-45"), out.stream().map(ProbeOutcome::name).toList());
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("probe blank-white: 1000 images, 1x8x8 ("), lines.get(0));
        assertTrue(lines.get(1).startsWith("probe rotated-45: 8 images, 1x8x8 ("), lines.get(1));
        assertFalse(out.get(0).skipped());
        assertNull(out.get(0).skipReason());
        assertEquals(ProbeKind.SHIFT, out.get(1).kind());
    }

    /** {mean, population std, min, max}. */
    static double[] moments(float[] v) {
        double s = 0;
        double s2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double m = s / v.length;
        return new double[] {m, Math.sqrt(s2 / v.length - m * m), min, max};
    }
}
