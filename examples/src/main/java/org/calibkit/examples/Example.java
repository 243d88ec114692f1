package org.calibkit.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One runnable example: a name and a {@link #run}, so one test can run them all on small data
 * and each one's {@code main} can run it on the full data (the pattern of XChart's
 * {@code ExampleChart} and {@code DemoChartsTest}).
 *
 * @param <R> what a run returns, for the test to check (and for a user to keep using)
 */
public interface Example<R> {
    /** A short name, e.g. {@code calibrate-mnist}: what {@link Examples#main} accepts. */
    String name();

    /** One line saying what the example shows. */
    String description();

    /** Runs the example, printing what a user would want to see to {@link Setup#out()}. */
    R run(Setup setup);

    /**
     * How big a run is and where it writes.
     *
     * @param trainImages MNIST training images for the models the examples train (55,000 = all)
     * @param testImages  test images to audit (10,000 = all of MNIST's)
     * @param probeSize   images per audit probe
     * @param resamples   bootstrap resamples of every interval
     * @param outDir      where reports and other files go (created when missing)
     * @param dataDir     the user's data directory for {@link org.calibkit.core.data.DataCatalog}, or null
     * @param out         where the example prints
     */
    record Setup(int trainImages, int testImages, int probeSize, int resamples, Path outDir, Path dataDir,
                 PrintStream out) {
        public Setup {
            if (trainImages < 1 || testImages < 1 || probeSize < 1 || resamples < 2) {
                throw new IllegalArgumentException("Expected trainImages, testImages, probeSize >= 1 and resamples >= 2, but got "
                        + trainImages + ", " + testImages + ", " + probeSize + ", " + resamples);
            }
            Objects.requireNonNull(outDir, "outDir");
            Objects.requireNonNull(out, "out");
        }

        /** The full size, as the command line runs it: all of MNIST, 1,000 images per probe, 200 resamples. */
        public static Setup full(Path outDir) {
            return new Setup(55_000, 10_000, 1_000, 200, outDir, null, System.out);
        }

        /** Small enough for a unit test: 3,000 training and 2,000 test images, 200 per probe, 50 resamples. */
        public static Setup small(Path outDir, PrintStream out) {
            return new Setup(3_000, 2_000, 200, 50, outDir, null, out);
        }
    }
}
