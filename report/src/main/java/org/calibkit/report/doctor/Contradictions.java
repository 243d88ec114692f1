package org.calibkit.report.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.calibkit.core.sources.PixelTransform;

/**
 * Where a model's own metadata contradicts the flags: the Windows ML image metadata that
 * ONNX exporters write into {@code metadata_props} ({@code Image.NominalPixelRange}:
 * {@code NominalRange_0_255}, {@code NominalRange_16_235}, {@code Normalized_0_1},
 * {@code Normalized_1_1}; {@code Image.BitmapPixelFormat}: {@code Gray8}, {@code Rgb8},
 * {@code Bgr8}, ...), read against the given pixel transform and the images' channels.
 */
final class Contradictions {
    private Contradictions() {
    }

    static List<String> find(Map<String, String> metadata, PixelTransform given, DoctorResult.Candidate best, int channels) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String v = e.getValue();
            String k = e.getKey();
            String said = "the model's metadata (" + k + " = " + v + ")";
            boolean plain = given.mean().length == 1 && given.mean()[0] == 0 && given.std().length == 1 && given.std()[0] == 1;
            if (v.contains("NominalRange_0_255") && (given.scale() != 1 || !plain)) {
                out.add(said + " says the model takes pixels in 0..255, but the flags map them to "
                        + range(given) + (best.flags().isEmpty() ? "; the search agrees with the metadata (no flags)" : ""));
            } else if (v.contains("Normalized_0_1") && !(Math.abs(given.scale() - 1 / 255.0) < 1e-12 && plain)) {
                out.add(said + " says the model takes pixels in [0, 1] (--scale 1/255), but the flags map them to " + range(given));
            } else if (v.contains("Normalized_1_1") && !(Math.abs(given.scale() * 255 - 2 * given.std()[0]) < 1e-6
                    && Math.abs(given.mean()[0] - given.std()[0]) < 1e-6)) {
                out.add(said + " says the model takes pixels in [-1, 1] (--scale 1/255 --mean 0.5 --std 0.5), but the flags "
                        + "map them to " + range(given));
            }
            String low = v.toLowerCase(Locale.ROOT);
            if (k.contains("BitmapPixelFormat")) {
                boolean grey = low.contains("gray") || low.contains("grey");
                if (grey && channels != 1 || !grey && (low.contains("rgb") || low.contains("bgr")) && channels == 1) {
                    out.add(said + " says the model takes " + (grey ? "greyscale" : "colour") + " images, but the data has "
                            + channels + " channel(s)");
                }
            }
        }
        return out;
    }

    private static String range(PixelTransform p) {
        double a = ((p.invert() ? 255 : 0) * p.scale() - p.mean()[0]) / p.std()[0];
        double b = ((p.invert() ? 0 : 255) * p.scale() - p.mean()[0]) / p.std()[0];
        return String.format(Locale.ROOT, "[%s, %s]", Doctor.num(Math.min(a, b)), Doctor.num(Math.max(a, b)));
    }
}
