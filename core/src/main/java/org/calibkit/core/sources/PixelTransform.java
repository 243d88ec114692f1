package org.calibkit.core.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.model.PreprocessingJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The input transform an external model's author documents, applied to images on the
 * {@link ImageSet} 0..255 scale: optionally invert ({@code x -> 255 - x}, for models trained on
 * dark ink on a light background), then {@code (x * scale - mean[c]) / std[c]} per channel. A
 * single mean or std applies to every channel. PyTorch's MNIST convention, {@code
 * ToTensor()} then {@code Normalize((0.1307,), (0.3081,))}, is {@code scale = 1/255, mean = 0.1307,
 * std = 0.3081}. Immutable.
 *
 * <p>JSON form (every field optional; see {@link #fromJson}):
 * <pre>{"scale": 0.00392156862745098, "mean": [0.1307], "std": [0.3081], "invert": false}</pre>
 * A {@code "scale"} may also be written as the string {@code "1/255"}.
 */
public final class PixelTransform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final double scale;
    private final double[] mean;
    private final double[] std;
    private final boolean invert;

    /**
     * @param scale  multiplier after inverting (finite, &gt; 0)
     * @param mean   per-channel means, or one for all channels (finite)
     * @param std    per-channel standard deviations, or one for all channels (finite, &gt; 0)
     * @param invert replace x by 255 - x first
     * @throws CalibkitException naming the bad argument and value
     */
    public PixelTransform(double scale, double[] mean, double[] std, boolean invert) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new CalibkitException("pixel scale must be finite and > 0, but got " + scale);
        }
        if (mean.length == 0 || std.length == 0) {
            throw new CalibkitException("pixel mean and std need at least one value each, but got " + mean.length
                    + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new CalibkitException("pixel mean[" + c + "] must be finite, but got " + mean[c]);
            }
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new CalibkitException("pixel std[" + c + "] must be finite and > 0, but got " + std[c]);
            }
        }
        this.scale = scale;
        this.mean = mean.clone();
        this.std = std.clone();
        this.invert = invert;
    }

    /** Raw 0..255 pixels, unchanged. */
    public static PixelTransform identity() {
        return new PixelTransform(1, new double[] {0}, new double[] {1}, false);
    }

    /** {@code x / 255}: pixels in [0, 1]. */
    public static PixelTransform unitScale() {
        return new PixelTransform(1.0 / 255.0, new double[] {0}, new double[] {1}, false);
    }

    /** The transform a calibkit model bundle applies (its scale, mean and std). */
    public static PixelTransform of(Preprocessing p) {
        return new PixelTransform(p.scale(), p.mean(), p.std(), false);
    }

    public double scale() { return scale; }
    public double[] mean() { return mean.clone(); }
    public double[] std() { return std.clone(); }
    public boolean invert() { return invert; }

    /** This transform with {@code invert} set. */
    public PixelTransform withInvert(boolean inv) {
        return new PixelTransform(scale, mean, std, inv);
    }

    /**
     * @throws CalibkitException when the per-channel values do not fit {@code channels}
     */
    void requireChannels(int channels) {
        if ((mean.length != 1 && mean.length != channels) || (std.length != 1 && std.length != channels)) {
            throw new CalibkitException("pixel transform has " + mean.length + " means and " + std.length
                    + " stds, but the images have " + channels + " channels (give one value, or one per channel)");
        }
    }

    /** Multiplier a[c] and offset b[c] so that the transform is {@code x' = raw * a + b} per channel. */
    float[][] affine(int channels) {
        requireChannels(channels);
        float[] a = new float[channels];
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = mean[mean.length == 1 ? 0 : c];
            double s = std[std.length == 1 ? 0 : c];
            if (invert) {
                // ((255 - x) * scale - m) / s = x * (-scale / s) + (255 * scale - m) / s
                a[c] = (float) (-scale / s);
                b[c] = (float) ((255 * scale - m) / s);
            } else {
                a[c] = (float) (scale / s);
                b[c] = (float) (-m / s);
            }
        }
        return new float[][] {a, b};
    }

    /** {@link #affine} of one channel with the first mean and std, for inputs whose channels are unknown. */
    float[][] firstChannelAffine() {
        return new PixelTransform(scale, new double[] {mean[0]}, new double[] {std[0]}, invert).affine(1);
    }

    /**
     * The same transform as a calibkit {@link Preprocessing} for images of this shape (raw range
     * 0..255), for the pixel-range check and the audit's probes; empty when inverting, which a
     * {@code Preprocessing} cannot express.
     */
    public Optional<Preprocessing> toPreprocessing(int channels, int height, int width) {
        if (invert) {
            return Optional.empty();
        }
        requireChannels(channels);
        double[] m = new double[channels];
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = mean[mean.length == 1 ? 0 : c];
            s[c] = std[std.length == 1 ? 0 : c];
        }
        return Optional.of(new Preprocessing(scale, m, s, channels, height, width, 0, 255));
    }

    /**
     * Reads the JSON form from a file.
     *
     * @throws CalibkitException naming the file and the field when it is missing, not JSON, or invalid
     */
    public static PixelTransform fromJson(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CalibkitException("preprocessing file " + file + " does not exist");
        } catch (IOException e) {
            throw new CalibkitException("preprocessing file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(n);
        } catch (CalibkitException e) {
            throw new CalibkitException("preprocessing file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the JSON form: an object with optional {@code scale} (number or {@code "1/255"},
     * default 1), {@code mean} and {@code std} (number or array, defaults 0 and 1), {@code invert}
     * (default false). Unknown fields are refused, so a typo is not silently ignored.
     */
    public static PixelTransform fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new CalibkitException("preprocessing must be a JSON object, but got " + n);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("scale") && !f.equals("mean") && !f.equals("std") && !f.equals("invert")) {
                throw new CalibkitException("unknown preprocessing field '" + f + "' (expected scale, mean, std, invert)");
            }
        }
        double scale = 1;
        JsonNode s = n.get("scale");
        if (s != null) {
            if (s.isNumber()) {
                scale = s.doubleValue();
            } else if (s.isTextual()) {
                scale = parseScale(s.asText());
            } else {
                throw new CalibkitException("preprocessing field 'scale' must be a number or \"1/255\", but got " + s);
            }
        }
        double[] mean = numbers(n, "mean", 0);
        double[] std = numbers(n, "std", 1);
        JsonNode inv = n.get("invert");
        if (inv != null && !inv.isBoolean()) {
            throw new CalibkitException("preprocessing field 'invert' must be true or false, but got " + inv);
        }
        return new PixelTransform(scale, mean, std, inv != null && inv.booleanValue());
    }

    /** Parses a number or a fraction {@code a/b} such as {@code 1/255}. */
    public static double parseScale(String text) {
        String t = text.trim();
        try {
            int slash = t.indexOf('/');
            if (slash > 0) {
                return Double.parseDouble(t.substring(0, slash).trim()) / Double.parseDouble(t.substring(slash + 1).trim());
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new CalibkitException("scale must be a number or a fraction such as 1/255, but got '" + text + "'");
        }
    }

    private static double[] numbers(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null) {
            return new double[] {dflt};
        }
        if (v.isNumber()) {
            return new double[] {v.doubleValue()};
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new CalibkitException("preprocessing field '" + field + "' must be a number or a non-empty array, but got " + v);
        }
        return PreprocessingJson.numbers(v, field);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelTransform p && p.scale == scale && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std) && p.invert == invert;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scale, Arrays.hashCode(mean), Arrays.hashCode(std), invert);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PixelTransform[%s(x*%.6g - %s) / %s]", invert ? "x=255-x, " : "",
                scale, Arrays.toString(mean), Arrays.toString(std));
    }
}
