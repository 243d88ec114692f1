package org.calibkit.core.model;

import org.calibkit.calibration.Logits;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;

/** Inference in batches: how a bundle turns an image set of any size into logits with bounded memory. */
final class BatchedInference {
    private BatchedInference() {
    }

    /**
     * The logits of {@code images} in chunks of 4,096 rows: the range check, then the preprocessing
     * (or the identity when {@code preprocess} is false), then the engine.
     */
    static Logits logits(LogitEngine engine, Preprocessing preprocessing, ModelKind kind, int k, ImageSet images,
                         boolean checkRange, boolean preprocess) {
        preprocessing.requireShape(images);
        if (checkRange) {
            Preprocessing.RangeCheck rc = preprocessing.checkRange(images);
            if (!rc.ok()) {
                throw new CalibkitException(rc.message() + "; refusing to predict (pass the images on the 0..255 scale)");
            }
        }
        if (images.size() == 0) {
            throw new CalibkitException("images " + images.origin().dataset() + "/" + images.origin().split()
                    + " are empty: there is nothing to predict");
        }
        int n = images.size();
        int p = preprocessing.inputSize();
        double[] out = new double[Math.multiplyExact(n, k)];
        int chunk = 4096;
        float[] buf = new float[Math.min(n, chunk) * p];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            if (preprocess) {
                preprocessing.apply(images, from, to, buf);
            } else {
                Preprocessing.identity(images).apply(images, from, to, buf);
            }
            double[][] part = engine.logits(buf, to - from);
            for (int i = 0; i < part.length; i++) {
                System.arraycopy(part[i], 0, out, (from + i) * k, k);
            }
        }
        try {
            return Logits.of(out, n, k);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("model " + kind.id() + " gave unusable logits for "
                    + images.origin().dataset() + "/" + images.origin().split() + ": " + e.getMessage(), e);
        }
    }
}
