package org.calibkit.report.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.ClassNames;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.MnistSample;
import org.calibkit.core.data.DataFixtures;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.FashionMnist;
import org.calibkit.core.data.Resampler;
import org.calibkit.core.data.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes on real data: MNIST (fetched through the real chain on first use), USPS, notMNIST
 * and Omniglot from the shared data directory, Fashion-MNIST from the Debian package.
 */
class DataSetProbesTest {
    private static ImageSet mnist;

    @BeforeAll
    static void data() {
        assumeTrue(SharedData.find() != null, "no shared/data directory beside the checkout");
        DataFixtures.realMnistCache();
        mnist = MnistSample.test(500); // real MNIST test images from the test resources
    }

    private static Map<String, ProbeOutcome> byName(List<ProbeOutcome> outcomes) {
        Map<String, ProbeOutcome> m = new HashMap<>();
        for (ProbeOutcome o : outcomes) {
            m.put(o.name(), o);
        }
        return m;
    }

    @Test
    void anMnistModelGetsEveryProbeButMnist() {
        List<String> lines = new ArrayList<>();
        ProbeContext ctx = ProbeContext.of(mnist, "mnist").withSize(300).withSeed(5);
        List<ProbeOutcome> out = Probes.generate(Probes.all(), ctx, lines::add);
        assertEquals(ProbesTest.NAMES, out.stream().map(ProbeOutcome::name).toList());
        assertEquals(ProbesTest.NAMES.size(), lines.size());
        Map<String, ProbeOutcome> m = byName(out);

        ProbeOutcome own = m.get("mnist");
        assertTrue(own.skipped());
        assertNull(own.images());
        assertTrue(own.skipReason().startsWith("mnist is the model's own data set"), own.skipReason());
        assertTrue(lines.contains("probe mnist: skipped: " + own.skipReason()), lines.toString());

        for (ProbeOutcome o : out) {
            if (o.name().equals("mnist") || (o.name().equals("fashion-mnist") && o.skipped())) {
                continue;
            }
            assertFalse(o.skipped(), o.name() + ": " + o.skipReason());
            ImageSet s = o.images().images();
            assertArrayEquals(new int[] {1, 28, 28}, s.shape(), o.name());
            assertEquals(ClassNames.DIGITS, s.classNames(), o.name());
            assertEquals(o.name(), s.origin().dataset());
            assertEquals(300, s.size(), o.name());
        }
        // USPS digits for a digit model: a labelled shift with the USPS labels
        ProbeImages usps = m.get("usps").images();
        assertEquals(ProbeKind.SHIFT, usps.kind());
        assertTrue(usps.labelled());
        assertTrue(Arrays.stream(usps.images().labelCounts()).filter(c -> c > 0).count() >= 9);
        for (String ood : List.of("notmnist", "omniglot")) {
            assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, m.get(ood).kind());
            assertFalse(m.get(ood).images().labelled());
            assertArrayEquals(new int[300], m.get(ood).images().images().labels(), ood);
        }
        // notMNIST and Omniglot are 28x28 grey already: no conversion is named
        assertEquals(m.get("notmnist").description(), Probes.select("notmnist").get(0).description());
    }

    @Test
    void gaussianNoiseOnMnistIsClippedAtZero() {
        // numpy on the sample's 500 images of t10k-images-idx3-ubyte (the test resource): mean 30.751839,
        // std 75.633258 (population); for X ~ N(mean, std) clipped to [0, 255], scipy: P(X <= 0) =
        // norm.cdf(-mean/std) = 0.342154, E[clip(X)] = 47.976803, sd[clip(X)] = 54.034620 (quad of the
        // normal density)
        ProbeImages p = ProbesTest.run("noise-gaussian", ProbeContext.of(mnist, "mnist").withSeed(2));
        float[] px = p.images().rawPixels();
        int zeros = 0;
        for (float v : px) {
            zeros += v == 0f ? 1 : 0;
        }
        // 392,000 draws: standard errors 0.00076 (share), 0.086 (mean), about 0.08 (sd)
        assertEquals(0.342154, zeros / (double) px.length, 0.003);
        double[] m = ProbesTest.moments(px);
        assertEquals(47.976803, m[0], 0.4);
        assertEquals(54.034620, m[1], 0.4);
        assertEquals(0.0, m[2]);
        assertTrue(m[3] <= 255);
        double[][] ms = SyntheticProbes.channelMeanStd(mnist);
        assertEquals(30.751839, ms[0][0], 1e-5);
        assertEquals(75.633258, ms[1][0], 1e-5);
    }

    @Test
    void aFashionModelGetsMnistAndUspsAsOutOfDistributionAndNotItsOwnSet() {
        assumeTrue(DataCatalog.get(FashionMnist.NAME).availability(DataLocations.defaults(null)).available(),
                "Fashion-MNIST is not here (Debian package dataset-fashion-mnist, which .ci/run installs)");
        ImageSet fashion = DataCatalog.load(FashionMnist.NAME, "test", null);
        ProbeContext ctx = ProbeContext.of(fashion, FashionMnist.NAME).withSize(100);
        Map<String, ProbeOutcome> m = byName(Probes.generate(Probes.select("fashion-mnist,mnist,usps"), ctx, l -> { }));
        assertTrue(m.get("fashion-mnist").skipped());
        assertTrue(m.get("fashion-mnist").skipReason().contains("own data set"));
        for (String name : List.of("mnist", "usps")) {
            ProbeOutcome o = m.get(name);
            assertFalse(o.skipped(), name);
            assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, o.kind(), name);
            assertFalse(o.images().labelled(), name);
            assertEquals(FashionMnist.CLASS_NAMES, o.images().images().classNames());
            assertArrayEquals(new int[100], o.images().images().labels());
        }
        // and the MNIST model gets Fashion-MNIST as out of distribution
        ProbeImages f = ProbesTest.run("fashion-mnist", ProbeContext.of(mnist, "mnist").withSize(50));
        assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, f.kind());
        assertTrue(f.images().origin().verified());
    }

    @Test
    void anSvhnModelGetsGreyDigitsAsThreeEqualChannels() {
        // USPS is 1x28x28; for a 3x32x32 model each probe image's three channels must all equal
        // core's Resampler.resize of one USPS test image of the same label (found by search)
        ImageSet svhn = DataFixtures.randomSvhnLike(20, 3);
        ProbeContext ctx = ProbeContext.of(svhn, "svhn").withSize(40).withSeed(8);
        ImageSet uspsTest = DataCatalog.load("usps", "test", null);
        ProbeImages p = ProbesTest.run("usps", ctx);
        assertEquals(ProbeKind.SHIFT, p.kind());
        assertTrue(p.labelled());
        assertTrue(p.description().contains("brought from 1x28x28 to 3x32x32: bilinear resize, grey copied to 3 channels"),
                p.description());
        ImageSet s = p.images();
        assertArrayEquals(new int[] {3, 32, 32}, s.shape());
        for (int i = 0; i < s.size(); i++) {
            float[] img = s.image(i);
            float[] c0 = Arrays.copyOfRange(img, 0, 1024);
            assertArrayEquals(c0, Arrays.copyOfRange(img, 1024, 2048), 0f);
            assertArrayEquals(c0, Arrays.copyOfRange(img, 2048, 3072), 0f);
            int found = -1;
            for (int j = 0; j < uspsTest.size() && found < 0; j++) {
                if (uspsTest.label(j) == s.label(i) && Arrays.equals(c0, Resampler.resize(uspsTest.image(j), 28, 28, 32, 32))) {
                    found = j;
                }
            }
            assertTrue(found >= 0, "probe image " + i + " is no resized USPS digit of label " + s.label(i));
        }
        // MNIST for the SVHN model: a labelled shift too, equal channels, values in [0, 255]
        ProbeImages mn = ProbesTest.run("mnist", ctx);
        assertEquals(ProbeKind.SHIFT, mn.kind());
        assertTrue(mn.labelled());
        double[] m = ProbesTest.moments(mn.images().rawPixels());
        assertTrue(m[2] >= 0 && m[3] <= 255 && m[3] > 200, Arrays.toString(m));
        for (int i = 0; i < mn.images().size(); i++) {
            float[] img = mn.images().image(i);
            assertArrayEquals(Arrays.copyOfRange(img, 0, 1024), Arrays.copyOfRange(img, 2048, 3072), 0f);
        }
        // notMNIST letters: out of distribution, unlabelled
        ProbeImages nm = ProbesTest.run("notmnist", ctx);
        assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, nm.kind());
        assertArrayEquals(new int[] {3, 32, 32}, nm.images().shape());
        // a data-set probe is seeded: same context, same images; another seed, another subset
        assertArrayEquals(p.images().rawPixels(), ProbesTest.run("usps", ctx).images().rawPixels(), 0f);
        assertFalse(Arrays.equals(p.images().rawPixels(), ProbesTest.run("usps", ctx.withSeed(9)).images().rawPixels()));
    }

    @Test
    void absentDataGiveSkippedOutcomesWithTheLoadersReason(@TempDir Path tmp) throws IOException {
        // USPS, notMNIST and Omniglot are looked for in DIR/NAME/ and then in the shared data
        // directory; the launcher's system property calibkit.home points the latter at an empty
        // HOME/../shared/data, and DIR is an empty directory, so none of the three is anywhere
        Path home = Files.createDirectories(tmp.resolve("checkout"));
        Path emptyShared = Files.createDirectories(tmp.resolve("shared").resolve("data"));
        Path dataDir = Files.createDirectories(tmp.resolve("mydata"));
        String before = System.getProperty("calibkit.home");
        System.setProperty("calibkit.home", home.toString());
        try {
            assertEquals(emptyShared.toRealPath(), SharedData.find().toRealPath());
            ProbeContext ctx = ProbeContext.of(mnist, "mnist").withSize(10).withDataDir(dataDir);
            List<String> lines = new ArrayList<>();
            Map<String, ProbeOutcome> m = byName(Probes.generate(Probes.select("notmnist,omniglot,usps,blank-black"), ctx,
                    lines::add));
            for (String name : List.of("notmnist", "omniglot", "usps")) {
                ProbeOutcome o = m.get(name);
                assertTrue(o.skipped(), name);
                assertNull(o.images());
                assertTrue(o.skipReason().startsWith(name + ": not found; put "), o.skipReason());
                assertTrue(o.skipReason().contains(dataDir.resolve(name).toString()), o.skipReason());
                assertTrue(lines.contains("probe " + name + ": skipped: " + o.skipReason()));
            }
            assertEquals(ProbeKind.SHIFT, m.get("usps").kind());
            assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, m.get("notmnist").kind());
            assertFalse(m.get("blank-black").skipped());
            // a skipped USPS for a model that is not of digits is out of distribution
            ImageSet letters = ProbesTest.randomTest(3, 1, 28, 28, 1);
            letters = new ImageSet(letters.rawPixels(), letters.labels(), 1, 28, 28,
                    List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), letters.origin());
            ProbeOutcome u = Probes.generate(Probes.select("usps"), ProbeContext.of(letters, "letters").withDataDir(dataDir),
                    l -> { }).get(0);
            assertTrue(u.skipped());
            assertEquals(ProbeKind.OUT_OF_DISTRIBUTION, u.kind());

            // the same probe finds its files once they are in DIR/notmnist/
            Path real = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            Path shared = null;
            for (Path d = real; d != null && shared == null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("shared/data/notmnist"))) {
                    shared = d.resolve("shared/data/notmnist");
                }
            }
            assertNotNull(shared, "the real shared/data/notmnist");
            Path mine = Files.createDirectories(dataDir.resolve("notmnist"));
            for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
                Files.copy(shared.resolve(f), mine.resolve(f));
            }
            ProbeImages nm = ProbesTest.run("notmnist", ctx);
            assertTrue(nm.images().origin().location().startsWith(mine.toString()), nm.images().origin().location());
            assertTrue(nm.images().origin().verified());
        } finally {
            if (before == null) {
                System.clearProperty("calibkit.home");
            } else {
                System.setProperty("calibkit.home", before);
            }
        }
    }
}
