package org.calibkit.report.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Probes#generate} runs the probes on two threads (issue 16); the reference is each probe
 * generated alone on this thread with the same context: the same images, pixel for pixel, the
 * same skips, and the outcomes and progress lines in the order the probes were asked for.
 */
class ProbesConcurrencyTest {
    @Test
    void concurrentGenerationEqualsEachProbeAloneInOrder(@TempDir Path empty) {
        ProbeContext ctx = ProbeContext.of(ProbesTest.randomTest(30, 1, 28, 28, 9), "small").withSize(25)
                .withDataDir(empty);
        // every probe that needs no data set (those are DataSetProbesTest's, and slow to load)
        List<Probe> probes = Probes.select("blank-black,blank-white,constant-grey,noise-uniform,noise-gaussian,"
                + "inverted,unscaled,rotated-15,rotated-30,rotated-45,rotated-60,rotated-90,shifted-2,shifted-4,shifted-6");
        List<String> lines = new ArrayList<>();
        List<ProbeOutcome> got = Probes.generate(probes, ctx, lines::add);
        assertEquals(probes.size(), got.size());
        assertEquals(probes.size(), lines.size());
        int generated = 0;
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            ProbeOutcome o = got.get(i);
            assertEquals(p.name(), o.name());
            assertTrue(lines.get(i).startsWith("probe " + p.name() + ": "), lines.get(i));
            ProbeImages alone;
            try {
                alone = p.generate(ctx);
            } catch (ProbeUnavailableException e) {
                assertNull(o.images(), p.name());
                assertEquals(e.getMessage(), o.skipReason(), p.name());
                continue;
            }
            generated++;
            assertArrayEquals(alone.images().rawPixels(), o.images().images().rawPixels(), 0f, p.name());
            assertArrayEquals(alone.images().labels(), o.images().images().labels(), p.name());
        }
        assertEquals(probes.size(), generated, "every one of these probes needs no data set");
    }

    @Test
    void aProbesOwnExceptionReachesTheCallerAsThrownFirstInOrder() {
        ProbeContext ctx = ProbeContext.of(ProbesTest.randomTest(10, 1, 28, 28, 1), "small").withSize(5);
        IllegalStateException first = new IllegalStateException("damaged file a.idx at byte 16");
        Probe ok = Probes.select("blank-black").get(0);
        List<Probe> probes = List.of(ok, failing("bad-1", first), ok, failing("bad-2", new IllegalStateException("second")));
        IllegalStateException got = assertThrows(IllegalStateException.class, () -> Probes.generate(probes, ctx, x -> { }));
        assertSame(first, got);
    }

    /** A probe whose generator throws {@code e}. */
    private static Probe failing(String name, RuntimeException e) {
        Probe base = Probes.select("blank-black").get(0);
        return new Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return base.description();
            }

            @Override
            public ProbeKind kind() {
                return base.kind();
            }

            @Override
            public ProbeImages generate(ProbeContext c) {
                throw e;
            }
        };
    }
}
