package org.calibkit.core.sources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.calibkit.core.CalibkitException;

/**
 * How a model wants a batch of images laid out in its input tensor. {@link org.calibkit.core.ImageSet}
 * holds (n, channels, height, width); a model may want the same order ({@link #NCHW}, PyTorch),
 * channels last ({@link #NHWC}, Keras and TensorFlow), one channel without a channel axis
 * ({@link #NHW}), or each image flattened into one row, in channels-last order ({@link #FLAT_HWC}:
 * Tribuo's and calibkit's feature order, Keras {@code Flatten}) or channels-first order
 * ({@link #FLAT_CHW}: {@code torch.flatten} of an NCHW image). For one channel the two flat orders,
 * and NCHW/NHWC/NHW, hold the same numbers in the same order.
 *
 * <p>Each layout has a transposed twin ({@code *_T}: {@code nhw-t}, {@code flat-t}, ...) that
 * swaps every image's rows and columns first, for models trained on images stored column-major
 * (MATLAB, Fortran-order numpy). They are never detected, only asked for.
 */
public enum Layout {
    NCHW, NHWC, NHW, FLAT_HWC, FLAT_CHW, NCHW_T, NHWC_T, NHW_T, FLAT_HWC_T, FLAT_CHW_T;

    /** True for the transposed twins. */
    public boolean transposed() {
        return name().endsWith("_T");
    }

    /** The layout without transposition ({@code FLAT_HWC_T -> FLAT_HWC}). */
    public Layout base() {
        return transposed() ? valueOf(name().substring(0, name().length() - 2)) : this;
    }

    /** This layout's transposed twin ({@code FLAT_HWC -> FLAT_HWC_T}). */
    public Layout transpose() {
        return transposed() ? base() : valueOf(name() + "_T");
    }

    /** The tensor shape of {@code n} images of this shape in this layout. */
    public long[] shape(long n, int channels, int height, int width) {
        if (transposed()) {
            return base().shape(n, channels, width, height);
        }
        switch (this) {
            case NCHW: return new long[] {n, channels, height, width};
            case NHWC: return new long[] {n, height, width, channels};
            case NHW: return new long[] {n, height, width};
            default: return new long[] {n, (long) channels * height * width};
        }
    }

    /** True when channel values of a pixel are adjacent (NHWC, FLAT_HWC). */
    public boolean channelsLast() {
        Layout b = base();
        return b == NHWC || b == FLAT_HWC;
    }

    /** Lower-case name with '-': {@code nchw}, {@code flat-hwc}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #id()} or the name, case-insensitive; {@code flat} means {@link #FLAT_HWC}, {@code flat-t} {@link #FLAT_HWC_T}. */
    public static Layout parse(String name) {
        String n = name.trim().replace('-', '_');
        if (n.equalsIgnoreCase("flat")) {
            return FLAT_HWC;
        }
        if (n.equalsIgnoreCase("flat_t")) {
            return FLAT_HWC_T;
        }
        for (Layout l : values()) {
            if (l.name().equalsIgnoreCase(n)) {
                return l;
            }
        }
        throw new CalibkitException("layout must be nchw, nhwc, nhw, flat-hwc (flat) or flat-chw, or one of them "
                + "transposed (nchw-t, nhwc-t, nhw-t, flat-t, flat-chw-t), but got '" + name + "'");
    }

    /**
     * The layouts whose shape fits a model input shape ({@code -1} for a dynamic dimension,
     * the batch dimension ignored) for images of the given shape.
     */
    public static List<Layout> matching(long[] inputShape, int channels, int height, int width) {
        List<Layout> out = new ArrayList<>();
        for (Layout l : values()) {
            if (l.transposed()) {
                continue; // never detected
            }
            if (l == NHW && channels != 1) {
                continue;
            }
            long[] want = l.shape(1, channels, height, width);
            if (want.length != inputShape.length) {
                continue;
            }
            boolean ok = true;
            for (int d = 1; d < want.length; d++) {
                if (inputShape[d] >= 0 && inputShape[d] != want[d]) {
                    ok = false;
                }
            }
            if (ok) {
                out.add(l);
            }
        }
        if (channels == 1 && out.contains(FLAT_HWC)) {
            out.remove(FLAT_CHW); // the same numbers in the same order
        }
        if (out.isEmpty() && inputShape.length > 1) {
            // no exact fit: a layout whose shape the input only pads with singleton dimensions
            // ([1, 784, 1] or [N, 1, 784] for flat images) is fed by reshaping
            long[] squeezed = squeeze(inputShape);
            if (squeezed.length != inputShape.length) {
                for (Layout l : matching(squeezed, channels, height, width)) {
                    if (squeeze(l.shape(1, channels, height, width)).length == squeezed.length) {
                        out.add(l);
                    }
                }
                if (out.size() > 1 && channels == 1) {
                    out.retainAll(List.of(out.get(0))); // one channel: every fitting layout holds the same numbers in the same order
                }
            }
        }
        return out;
    }

    /** The shape without its non-batch dimensions of size 1. */
    static long[] squeeze(long[] shape) {
        return java.util.stream.LongStream.concat(java.util.stream.LongStream.of(shape[0]),
                Arrays.stream(shape, 1, shape.length).filter(d -> d != 1)).toArray();
    }

    /**
     * The shape to feed {@code rows} images in this layout to an input of {@code inputShape}: the
     * layout's own shape, or the input's shape with the batch dimension set when the input only
     * adds singleton dimensions to it.
     */
    long[] feedShape(long[] inputShape, long rows, int channels, int height, int width) {
        long[] own = shape(rows, channels, height, width);
        if (own.length == inputShape.length) {
            return own;
        }
        long[] s = inputShape.clone();
        s[0] = rows;
        for (int d = 1; d < s.length; d++) {
            if (s[d] < 0) {
                s[d] = 1;
            }
        }
        return s;
    }

    /**
     * The one layout that fits, or the one asked for after checking it fits.
     *
     * @param what names the model and input for messages, e.g. "model m.onnx input 'x'"
     * @throws CalibkitException when none fits, or several do and none was asked for
     */
    static Layout resolve(Layout requested, long[] inputShape, int channels, int height, int width, String what) {
        String images = channels + "x" + height + "x" + width + " (channels x height x width)";
        List<Layout> fit = matching(inputShape, channels, height, width);
        if (requested != null && requested.transposed()) {
            resolve(requested.base(), inputShape, channels, width, height, what); // the swapped image must fit
            return requested;
        }
        if (requested != null) {
            if (!fit.contains(requested) && !(requested == FLAT_CHW && fit.contains(FLAT_HWC) && channels == 1)) {
                throw new CalibkitException(what + " has shape " + dims(inputShape) + ", which does not fit images "
                        + images + " in the requested layout " + requested.id() + " (that needs "
                        + dims(requested.shape(-1, channels, height, width)) + ")");
            }
            return requested;
        }
        if (fit.size() == 1) {
            return fit.get(0);
        }
        if (fit.isEmpty()) {
            throw new CalibkitException(what + " has shape " + dims(inputShape) + ", which fits images " + images
                    + " in no layout (NCHW would be " + dims(NCHW.shape(-1, channels, height, width)) + ", NHWC "
                    + dims(NHWC.shape(-1, channels, height, width)) + ", flat " + dims(FLAT_HWC.shape(-1, channels, height, width))
                    + ")" + channelsHint(inputShape, channels, height, width));
        }
        StringBuilder names = new StringBuilder();
        for (Layout l : fit) {
            names.append(names.length() == 0 ? "" : ", ").append(l.id());
        }
        throw new CalibkitException(what + " has shape " + dims(inputShape) + ", which fits images " + images
                + " in several layouts (" + names + "); say which one (layout option)");
    }

    /** When the input fits the images with the other channel count (grey and RGB), how to say so; else "". */
    private static String channelsHint(long[] inputShape, int channels, int height, int width) {
        int other = channels == 1 ? 3 : channels == 3 ? 1 : 0;
        if (other == 0 || matching(inputShape, other, height, width).isEmpty()) {
            return "";
        }
        return "; it fits them with " + other + " channel(s): give the channels option " + other + " (--channels " + other
                + ": " + (other == 3 ? "grey replicated to RGB" : "colour to grey by the Rec. 601 luma") + ")";
    }

    /** [-1, 28, 28, 1] with -1 for dynamic dimensions. */
    static String dims(long[] shape) {
        return Arrays.toString(shape);
    }
}
