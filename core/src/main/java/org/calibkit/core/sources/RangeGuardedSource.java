package org.calibkit.core.sources;

import java.util.List;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;

/**
 * A model file calibkit did not write, opened with {@link ModelOptions} (the ONNX, SavedModel, Keras
 * and Tribuo sources): what the subclass resolved when it opened the model (class names, output
 * kind, head) and a pixel-range guard: an empty image set is refused, {@link #logits} checks the
 * range, {@link #withoutRangeCheck} skips it and shares the model.
 */
abstract class RangeGuardedSource implements LogitSource {
    /** "ONNX model /path/m.onnx", for messages. */
    final String where;
    final ModelOptions options;
    private List<String> classNames;
    private OutputKind kind;
    private Head head;

    RangeGuardedSource(String where, ModelOptions options) {
        this.where = where;
        this.options = options;
    }

    /** Fixes what the model's output means; subclasses call it once, from their constructor. */
    final void resolved(List<String> classNames, OutputKind kind, Head head) {
        this.classNames = classNames;
        this.kind = kind;
        this.head = head;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Head head() {
        return head;
    }

    /** What the model's output holds, stated or detected when it was opened. */
    public OutputKind outputKind() {
        return kind;
    }

    /** The input transform applied to 0..255 images. */
    public PixelTransform pixels() {
        return options.pixels();
    }

    /** Logits of non-empty {@code images}, the pixel range checked when {@code checkRange}. */
    abstract Logits logits(ImageSet images, boolean checkRange);

    @Override
    public final Logits logits(ImageSet images) {
        return logits(nonEmpty(images), true);
    }

    /** This model without the pixel-range guard (for the audit's deliberately unscaled probe); shares the model. */
    @Override
    public final LogitSource withoutRangeCheck() {
        return withLogits(images -> logits(nonEmpty(images), false));
    }

    private static ImageSet nonEmpty(ImageSet given) {
        if (given.size() == 0) {
            throw new CalibkitException("images " + given.origin().dataset() + "/" + given.origin().split()
                    + " are empty; nothing to predict");
        }
        return given;
    }

    /** An exception message on one line (native libraries write several). */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** {@code a} widened to doubles, for models whose input is double. */
    static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Closes {@code c} while already failing with a better message. */
    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing with a better message
        }
    }
}
