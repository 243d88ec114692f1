package org.calibkit.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The exact input transform of a model, saved inside its bundle so that training and serving
 * cannot drift apart: {@code x' = (x * scale - mean[c]) / std[c]} for every pixel {@code x} of
 * channel {@code c}, where {@code x} is on the {@link ImageSet} convention (0..255).
 *
 * <p>Output layout is channels-last, one image after the other: {@code (n, height, width,
 * channels)} row-major, which is both the TensorFlow NHWC layout and the order of the feature
 * names {@link #featureName(int)} (pixel {@code (y, x, c)} is feature {@code (y*W + x)*C + c}).
 *
 * <p>{@link #checkRange} compares the statistics of incoming pixels with the raw range the
 * model was trained on, to catch the classic "predict() only gives 0 and 1" bug: raw 0..255
 * images handed to a model trained on 0..1 inputs, or pre-scaled 0..1 images handed to a model
 * that scales by 1/255 itself. Immutable.
 */
public final class Preprocessing {
    private final double scale;
    private final double[] mean;
    private final double[] std;
    private final int channels;
    private final int height;
    private final int width;
    private final double rawMin;
    private final double rawMax;

    /**
     * @param scale    multiplier applied first (1/255 maps 8-bit pixels to [0, 1])
     * @param mean     per-channel mean subtracted after scaling (length {@code channels})
     * @param std      per-channel standard deviation divided by after that (positive)
     * @param rawMin   smallest raw pixel value the model was trained on (0 for 8-bit images)
     * @param rawMax   largest raw pixel value the model was trained on (255 for 8-bit images)
     * @throws IllegalArgumentException naming the bad argument and value
     */
    public Preprocessing(double scale, double[] mean, double[] std, int channels, int height, int width,
                         double rawMin, double rawMax) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("preprocessing scale must be finite and > 0, but got " + scale);
        }
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("preprocessing shape must be positive, but got channels="
                    + channels + " height=" + height + " width=" + width);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("preprocessing needs one mean and std per channel (" + channels
                    + "), but got " + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < channels; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("preprocessing mean[" + c + "] must be finite, but got " + mean[c]);
            }
            if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("preprocessing std[" + c + "] must be finite and > 0, but got " + std[c]);
            }
        }
        if (!(rawMin < rawMax) || !Double.isFinite(rawMin) || !Double.isFinite(rawMax)) {
            throw new IllegalArgumentException("preprocessing raw range must be finite with min < max, but got ["
                    + rawMin + ", " + rawMax + "]");
        }
        this.scale = scale;
        this.mean = mean.clone();
        this.std = std.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.rawMin = rawMin;
        this.rawMax = rawMax;
    }

    /**
     * Scales 8-bit pixels to [0, 1] and standardises each channel with the mean and standard
     * deviation measured on {@code train} (after scaling); raw range 0..255.
     */
    public static Preprocessing standardizedFrom(ImageSet train) {
        int c = train.channels();
        int per = train.height() * train.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        float[] px = train.rawPixels();
        for (int i = 0; i < train.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * per;
                double s = 0;
                double s2 = 0;
                for (int p = 0; p < per; p++) {
                    double v = px[base + p] / 255.0;
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double count = (double) train.size() * per;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / count;
            double var = sumSq[ch] / count - mean[ch] * mean[ch];
            std[ch] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return new Preprocessing(1.0 / 255.0, mean, std, c, train.height(), train.width(), 0, 255);
    }

    /**
     * The identity on 8-bit images of this shape: scale 1, mean 0, std 1, raw range 0..255. For
     * range checks and feature names of models whose own transform lives elsewhere, and for feeding
     * pixels unchanged.
     */
    public static Preprocessing identity(int channels, int height, int width) {
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return new Preprocessing(1.0, new double[channels], ones, channels, height, width, 0, 255);
    }

    /** {@link #identity(int, int, int)} of the images' shape. */
    public static Preprocessing identity(ImageSet images) {
        return identity(images.channels(), images.height(), images.width());
    }

    /** Only scales 8-bit pixels by 1/255 (no centring); raw range 0..255. */
    public static Preprocessing unitScale(int channels, int height, int width) {
        double[] zeros = new double[channels];
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return new Preprocessing(1.0 / 255.0, zeros, ones, channels, height, width, 0, 255);
    }

    public double scale() { return scale; }
    public double[] mean() { return mean.clone(); }
    public double[] std() { return std.clone(); }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    /** Values per image after preprocessing: height * width * channels. */
    public int inputSize() { return height * width * channels; }
    /** Smallest raw pixel value the model expects. */
    public double rawMin() { return rawMin; }
    /** Largest raw pixel value the model expects. */
    public double rawMax() { return rawMax; }

    /**
     * The feature name of input position {@code index} (channels-last order), zero-padded so
     * that Tribuo, which numbers features by sorting their names, numbers them in pixel order.
     */
    public String featureName(int index) {
        int digits = Integer.toString(inputSize() - 1).length();
        return String.format(Locale.ROOT, "p%0" + digits + "d", index);
    }

    /** All feature names, index order. */
    public String[] featureNames() {
        String[] names = new String[inputSize()];
        for (int i = 0; i < names.length; i++) {
            names[i] = featureName(i);
        }
        return names;
    }

    /**
     * Transforms every image, channels-last (see the class comment).
     *
     * @throws CalibkitException when the images' shape differs from the model's
     */
    public float[] apply(ImageSet images) {
        float[] out = new float[Math.multiplyExact(images.size(), inputSize())];
        apply(images, 0, images.size(), out);
        return out;
    }

    /**
     * Transforms images {@code from..to-1} into {@code out} (which must hold at least
     * {@code (to-from) * inputSize()} values), channels-last.
     */
    public void apply(ImageSet images, int from, int to, float[] out) {
        requireShape(images);
        Objects.checkFromToIndex(from, to, images.size());
        int per = height * width;
        float[] px = images.rawPixels();
        float[] a = new float[channels];
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = (float) (scale / std[c]);
            b[c] = (float) (-mean[c] / std[c]);
        }
        for (int i = from; i < to; i++) {
            int src = i * channels * per;
            int dst = (i - from) * channels * per;
            for (int c = 0; c < channels; c++) {
                int s = src + c * per;
                float ac = a[c];
                float bc = b[c];
                for (int p = 0; p < per; p++) {
                    out[dst + p * channels + c] = px[s + p] * ac + bc;
                }
            }
        }
    }

    /** @throws CalibkitException when the images' shape differs from the model's */
    public void requireShape(ImageSet images) {
        if (images.channels() != channels || images.height() != height || images.width() != width) {
            throw new CalibkitException("images " + images.origin().dataset() + "/" + images.origin().split()
                    + " have shape " + images.channels() + "x" + images.height() + "x" + images.width()
                    + " (channels x height x width) but the model expects " + channels + "x" + height + "x" + width);
        }
    }

    /**
     * The outcome of {@link #checkRange}: observed pixel statistics next to the expected raw
     * range, and a verdict with a message that names the numbers.
     */
    public record RangeCheck(boolean ok, double min, double max, double mean, double expectedMin,
                             double expectedMax, String message) {
        /**
         * What to do about a failed check, a sentence a user can act on ("divide the pixels by 255 so
         * they lie in [0, 1] as in training"); null when the check passed.
         */
        public String fix() {
            if (ok) {
                return null;
            }
            if (max > expectedMax) {
                return "divide the pixels by " + fmt(max > 255.5 ? max / expectedMax : 255) + " so they lie in ["
                        + fmt(expectedMin) + ", " + fmt(expectedMax) + "] as in training";
            }
            return "multiply the pixels by 255: this model scales raw 0..255 pixels itself";
        }
    }

    /**
     * Checks from statistics whether {@code images} are on the raw pixel range this model was
     * trained on. Flags (a) any pixel outside {@code [rawMin, rawMax]} (beyond a 1% tolerance of
     * the range), e.g. 0..255 pixels for a model trained on 0..1 inputs; and (b) images that look
     * already scaled to [0, 1] (largest value in (0, 1]) when the model expects an 8-bit range
     * (rawMax > 1), the reverse mistake. All-zero images (blank probes) pass: statistics cannot
     * tell their scale.
     */
    public RangeCheck checkRange(ImageSet images) {
        float[] px = images.rawPixels();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (float v : px) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
            sum += v;
        }
        double mean = px.length == 0 ? 0 : sum / px.length;
        if (px.length == 0) {
            return new RangeCheck(true, 0, 0, 0, rawMin, rawMax, "no pixels");
        }
        String where = images.origin().dataset() + "/" + images.origin().split();
        String stats = "min " + fmt(min) + ", max " + fmt(max) + ", mean " + fmt(mean);
        String expected = "[" + fmt(rawMin) + ", " + fmt(rawMax) + "]";
        double tol = 0.01 * (rawMax - rawMin);
        if (Double.isNaN(mean)) {
            return new RangeCheck(false, min, max, mean, rawMin, rawMax,
                    "pixel values of " + where + " contain NaN (" + stats + ")");
        }
        if (min < rawMin - tol || max > rawMax + tol) {
            return new RangeCheck(false, min, max, mean, rawMin, rawMax, "pixel values of " + where + " ("
                    + stats + ") fall outside the raw range " + expected + " this model was trained on");
        }
        if (rawMax > 1.5 && max > 0 && max <= 1.0) {
            return new RangeCheck(false, min, max, mean, rawMin, rawMax, "pixel values of " + where + " ("
                    + stats + ") look already scaled to [0, 1], but this model expects raw pixels in " + expected
                    + " and scales them itself");
        }
        return new RangeCheck(true, min, max, mean, rawMin, rawMax,
                "pixel values of " + where + " (" + stats + ") fit the expected raw range " + expected);
    }

    /** 4 significant digits without trailing zeros: 255, 0.9016, 1.2e-07. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s.replaceFirst("\\.?0+e", "e");
        }
        return s.contains(".") ? s.replaceFirst("\\.?0+$", "") : s;
    }

    /** JSON form stored in model bundles. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("scale", scale);
        ArrayNode m = n.putArray("mean");
        ArrayNode s = n.putArray("std");
        for (int c = 0; c < channels; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        n.put("channels", channels);
        n.put("height", height);
        n.put("width", width);
        n.put("raw_min", rawMin);
        n.put("raw_max", rawMax);
        n.put("layout", "NHWC");
        return n;
    }

    /**
     * Reads the JSON form.
     *
     * @throws CalibkitException when a field is missing or invalid (naming it)
     */
    public static Preprocessing fromJson(JsonNode n) {
        try {
            if (n == null || !n.isObject()) {
                throw new CalibkitException("preprocessing must be a JSON object");
            }
            if (!"NHWC".equals(PreprocessingJson.text(n, "layout"))) {
                throw new CalibkitException("preprocessing layout must be NHWC, but got " + n.get("layout"));
            }
            int channels = PreprocessingJson.integer(n, "channels");
            double[] mean = PreprocessingJson.doubles(n, "mean");
            double[] std = PreprocessingJson.doubles(n, "std");
            return new Preprocessing(PreprocessingJson.number(n, "scale"), mean, std, channels,
                    PreprocessingJson.integer(n, "height"), PreprocessingJson.integer(n, "width"),
                    PreprocessingJson.number(n, "raw_min"), PreprocessingJson.number(n, "raw_max"));
        } catch (IllegalArgumentException e) {
            throw new CalibkitException("invalid preprocessing: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.scale == scale && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std) && p.channels == channels && p.height == height
                && p.width == width && p.rawMin == rawMin && p.rawMax == rawMax;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scale, Arrays.hashCode(mean), Arrays.hashCode(std), channels, height, width, rawMin, rawMax);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Preprocessing[x*%.6g, mean=%s, std=%s, %dx%dx%d, raw=[%g, %g]]",
                scale, Arrays.toString(mean), Arrays.toString(std), channels, height, width, rawMin, rawMax);
    }
}
