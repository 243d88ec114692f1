package org.calibkit.report.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;

/** The corruption families as probes: selection by family, corruption or point, pairing with the test-image probes. */
class CorruptionProbesTest {
    @Test
    void familiesAreSelectedByPrefixAndFollowTheBuiltIns() {
        assertEquals(75, Probes.select("mnist-c").size());
        List<Probe> some = Probes.select("mnist-c/rotate, blank-black, cifar-c/fog/5");
        assertEquals(List.of("blank-black", "mnist-c/rotate/1", "mnist-c/rotate/2", "mnist-c/rotate/3", "mnist-c/rotate/4",
                "mnist-c/rotate/5", "cifar-c/fog/5"), some.stream().map(Probe::name).toList());
        assertTrue(some.subList(1, 7).stream().allMatch(p -> p.kind() == ProbeKind.SHIFT));
        assertEquals(Probes.all(), Probes.select("all"), "'all' stays the built-in probes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Probes.select("mnist-c/rotat"));
        assertTrue(e.getMessage().contains("mnist-c/rotat"), e.getMessage());
    }

    @Test
    void aPointCorruptsTheSameTestImagesAsTheOtherTestImageProbes() {
        ImageSet test = ProbesTest.randomTest(30, 1, 28, 28, 5);
        ProbeContext ctx = ProbeContext.of(test, "small").withSize(12).withSeed(3);
        ProbeImages p = ProbesTest.run("mnist-c/stripe/3", ctx);
        assertTrue(p.labelled());
        assertEquals(ProbeKind.SHIFT, p.kind());
        int[] idx = TestImageProbes.sample(ctx);
        for (int i = 0; i < idx.length; i++) {
            assertEquals(test.label(idx[i]), p.images().label(i));
            // stripe inverts 7 columns each side and leaves the middle: the middle is the chosen test image
            float[] got = p.images().image(i);
            float[] want = test.image(idx[i]);
            for (int r = 0; r < 28; r++) {
                assertEquals(want[r * 28 + 14], got[r * 28 + 14], 0f);
                assertEquals(255f - want[r * 28], got[r * 28], 1e-3f);
            }
        }
        assertArrayEquals(p.images().rawPixels(), ProbesTest.run("mnist-c/stripe/3", ctx).images().rawPixels());
    }
}
