package org.calibkit.examples.bench.data;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ForkJoinPool;

import org.calibkit.core.data.synth.SyntheticDigits;

/**
 * Prints how fast {@link SyntheticDigits} generates images (not a test). Run from the repository root:
 * <pre>
 * mvn -q -B -o -pl examples -am package -DskipTests
 * java -cp examples/target/classes:$(cat examples/target/classpath.txt) \
 *     org.calibkit.examples.bench.data.SyntheticDigitsBench [count]
 * </pre>
 */
public final class SyntheticDigitsBench {
    private SyntheticDigitsBench() { }

    /** Prints generation rates; args: [images, default 30,000]. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        System.out.printf("cores %d, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        SyntheticDigits.generate(2_000, 1);   // warm-up: fonts, JIT
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            SyntheticDigits.generate(n, 100 + rep);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("parallel (%d threads): %d images in %.2f s = %.0f images/s%n",
                    ForkJoinPool.getCommonPoolParallelism(), n, s, n / s);
        }
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            int m = n / 3;
            long t0 = System.nanoTime();
            one.submit(() -> SyntheticDigits.generate(m, 7)).get();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("one thread: %d images in %.2f s = %.0f images/s%n", m, s, m / s);
        } finally {
            one.shutdown();
        }
    }
}
