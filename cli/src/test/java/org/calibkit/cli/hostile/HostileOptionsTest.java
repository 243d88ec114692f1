package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.calibkit.cli.CliRun;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 17, section 5: size-like options beyond what they can legitimately be are refused right
 * after parsing, before anything is loaded (no OutOfMemoryError minutes later), in one line, exit code 1.
 */
class HostileOptionsTest {
    /** Never created: every run below stops before reading or writing anything there. */
    private static final Path dir = Path.of(System.getProperty("java.io.tmpdir"), "calibkit-hostile-options-absent");

    @Property(tries = 20)
    void binsBeyondTenThousandAreAUsageError(@ForAll @IntRange(min = 10_001) int bins) {
        CliRun r = CliRun.command("metrics", "--logits", dir.resolve("none.npy").toString(), "--labels",
                dir.resolve("none.npy").toString(), "--bins", Integer.toString(bins));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("calibkit: error: --bins must be 1 .. 10000, but got " + bins), r.err());
    }

    @Property(tries = 20)
    void resamplesBeyondTheirBoundAreAUsageError(@ForAll @IntRange(min = 100_001) int resamples) {
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("none.npy").toString(), "--labels",
                dir.resolve("none.npy").toString(), "--out", dir.resolve("r.html").toString(), "--resamples",
                Integer.toString(resamples));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("calibkit: error: --resamples must be 0 .. 100000, but got " + resamples), r.err());
    }

    @Property(tries = 10)
    void resamplesBelowTwoAreRefusedBeforeAnythingIsRead(@ForAll @IntRange(min = -1000, max = 1) int resamples) {
        // the files do not exist: a check made after reading them would name them instead
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("none.npy").toString(), "--labels",
                dir.resolve("none.npy").toString(), "--out", dir.resolve("r.html").toString(), "--resamples",
                Integer.toString(resamples));
        assertEquals(1, r.code(), r.err());
        assertEquals("calibkit: error: --resamples must be at least 2, but got " + resamples, r.err().strip());
    }

    @Property(tries = 10)
    void aQuoteInClassNamesIsACharacter(@ForAll @IntRange(min = 0, max = 3) int at) {
        String names = "a,b,c,d".substring(0, at * 2) + "\"" + "a,b,c,d".substring(at * 2);
        CliRun r = CliRun.command("audit", "--predictions", dir.resolve("none.npy").toString(), "--labels",
                dir.resolve("none.npy").toString(), "--out", dir.resolve("r.html").toString(), "--class-names", names);
        assertFalse(r.err().contains("Unbalanced quotes"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
