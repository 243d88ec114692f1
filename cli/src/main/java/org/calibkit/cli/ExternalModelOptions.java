package org.calibkit.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.sources.Layout;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;

/**
 * The settings a user states about a model calibkit did not write, as the command line takes
 * them (text, as typed), turned into {@link ModelOptions}. Every field is optional (null or
 * false when not given).
 *
 * @param scale          pixel multiplier after inverting: a number or a fraction such as {@code 1/255}
 * @param mean           per-channel means (one for all channels)
 * @param std            per-channel standard deviations (one for all channels)
 * @param invert         {@code x -> 255 - x} first
 * @param preprocessing  a JSON file with the same fields ({@link PixelTransform#fromJson(Path)}); not with the four above
 * @param layout         {@code nchw}, {@code nhwc}, {@code nhw}, {@code flat} ({@code flat-hwc}), {@code flat-chw}, each with {@code -t} (transposed)
 * @param output         the output tensor's name
 * @param outputKind     {@code logits}, {@code probabilities}, {@code log-probabilities}, {@code independent-probabilities}
 * @param head           {@code softmax} or {@code sigmoid}, for outputs that are logits
 * @param signature      a SavedModel signature key
 * @param classNames     one per output column
 * @param channels       the channels the model takes when the data has others: 3 replicates grey images to RGB,
 *                       1 converts colour to grey (Rec. 601 luma); null to feed the images as they are
 */
public record ExternalModelOptions(String scale, List<Double> mean, List<Double> std, boolean invert, Path preprocessing,
                                   String layout, String output, String outputKind, String head, String signature,
                                   List<String> classNames, Integer channels) {

    /** Whether any setting was given. */
    public boolean any() {
        return scale != null || mean != null || std != null || invert || preprocessing != null || layout != null
                || output != null || outputKind != null || head != null || signature != null || classNames != null
                || channels != null;
    }

    /**
     * The options, or null when nothing was given.
     *
     * @throws CalibkitException naming the setting and the value that does not fit
     */
    public ModelOptions toOptions() {
        if (!any()) {
            return null;
        }
        ModelOptions o = ModelOptions.defaults();
        if (preprocessing != null) {
            if (scale != null || mean != null || std != null || invert) {
                throw new CalibkitException("give the preprocessing either as a JSON file or as scale, mean, std and "
                        + "invert, not both");
            }
            o = o.withPixels(PixelTransform.fromJson(preprocessing));
        } else if (scale != null || mean != null || std != null || invert) {
            o = o.withPixels(new PixelTransform(scale == null ? 1 : PixelTransform.parseScale(scale),
                    mean == null ? new double[] {0} : numbers(mean), std == null ? new double[] {1} : numbers(std), invert));
        }
        if (layout != null) {
            o = o.withLayout(Layout.parse(layout));
        }
        if (output != null) {
            o = o.withOutput(output);
        }
        if (outputKind != null) {
            try {
                o = o.withOutputKind(OutputKind.parse(outputKind));
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(e.getMessage(), e);
            }
        }
        if (head != null) {
            try {
                o = o.withHead(Head.parse(head));
            } catch (IllegalArgumentException e) {
                throw new CalibkitException(e.getMessage(), e);
            }
        }
        if (signature != null) {
            o = o.withSignature(signature);
        }
        if (classNames != null) {
            o = o.withClassNames(checkClassNames(classNames));
        }
        if (channels != null) {
            if (channels != 1 && channels != 3) {
                throw new CalibkitException("--channels must be 1 (colour to grey) or 3 (grey to RGB), but got " + channels);
            }
            o = o.withChannels(channels);
        }
        return o;
    }

    /**
     * Class names a report can show on one line and tell apart: none empty, none repeated, no
     * control characters (a newline in a name would break the one-line summary and CSV output).
     * Markup such as {@code <script>} is allowed: every rendering escapes it.
     *
     * @throws CalibkitException naming the first bad name by position
     */
    public static List<String> checkClassNames(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw new CalibkitException("class name " + i + " is empty; give one non-empty name per output column");
            }
            for (int j = 0; j < n.length(); j++) {
                if (Character.isISOControl(n.charAt(j))) {
                    throw new CalibkitException("class name " + i + " contains the control character U+"
                            + String.format("%04X", (int) n.charAt(j)) + "; class names must be printable text");
                }
            }
            if (n.length() > 200) {
                throw new CalibkitException("class name " + i + " is " + n.length() + " characters long (at most 200)");
            }
            if (!seen.add(n)) {
                throw new CalibkitException("class name '" + n + "' appears twice (position " + i + "); names must differ");
            }
        }
        return List.copyOf(names);
    }

    private static double[] numbers(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }
}
