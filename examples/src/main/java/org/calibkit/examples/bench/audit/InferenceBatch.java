package org.calibkit.examples.bench.audit;

import java.nio.file.Path;
import java.util.Locale;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;

/**
 * Seconds for a bundle's logits of the 10,000 MNIST test images at the inference batch size of
 * the system property {@code calibkit.inference.batch} (best of 3 after a warm-up). Not a test;
 * run by {@code bench/audit.sh --inference-batch}. Argument: the bundle.
 */
public final class InferenceBatch {
    private InferenceBatch() {
    }

    /** Prints {@code batch B: S s (best of 3)}. */
    public static void main(String[] args) {
        ImageSet test = DataCatalog.load("mnist", "test", null);
        try (ModelBundle b = ModelBundle.load(Path.of(args[0]))) {
            b.logits(test.limit(1000));
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                b.logits(test);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "batch %s: %.2f s for 10,000 images (best of 3)%n",
                    System.getProperty("calibkit.inference.batch", "256 (default)"), best);
        }
    }
}
