package org.calibkit.examples.bench.data;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.ProgressListener;
import org.calibkit.core.data.SharedData;
import org.calibkit.core.data.images.OmniglotDataset;

/**
 * Prints how long loading Omniglot takes (not a test): the first load in a fresh JVM, then warm
 * loads. Run like {@code SyntheticDigitsBench} with class {@code org.calibkit.examples.bench.data.OmniglotLoadBench}.
 */
public final class OmniglotLoadBench {
    private OmniglotLoadBench() { }

    /** Prints the load times; no arguments. */
    public static void main(String[] args) {
        System.out.printf("cores %d, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        DataLocations loc = new DataLocations(null, Path.of("target", "unused-cache"), SharedData.find(), false, false,
                ProgressListener.lines(System.out));
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            ImageSet set = new OmniglotDataset().load("test", loc);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %s in %.2f s (%.0f images/s)%n", rep == 0 ? "first load" : "warm load", set, s,
                    set.size() / s);
        }
    }
}
