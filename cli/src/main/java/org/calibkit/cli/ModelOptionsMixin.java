package org.calibkit.cli;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.core.open.ModelType;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options that say how to drive a model calibkit did not write, shared by {@code audit} and
 * {@code predict}; parsed only, turned into {@link ExternalModelOptions} for the library.
 */
final class ModelOptionsMixin {
    @Option(names = "--model-type", paramLabel = "TYPE", converter = TypeConverter.class,
            description = "bundle, onnx, savedmodel, tribuo or keras (default: detected from the name and content)")
    ModelType modelType;

    @Option(names = "--scale", paramLabel = "S",
            description = "external models: multiply 0..255 pixels by S first (a number or a fraction: 1/255)")
    String scale;

    @Option(names = "--mean", paramLabel = "M", split = ",",
            description = "external models: subtract M after scaling (one value, or one per channel: 0.485,0.456,0.406)")
    List<Double> mean;

    @Option(names = "--std", paramLabel = "S", split = ",",
            description = "external models: then divide by S (one value, or one per channel)")
    List<Double> std;

    @Option(names = "--invert", description = "external models: x -> 255 - x before scaling (dark ink on light paper)")
    boolean invert;

    @Option(names = "--preprocessing", paramLabel = "FILE.json",
            description = "external models: the pixel transform as JSON: {\"scale\": \"1/255\", \"mean\": [0.1307], "
                    + "\"std\": [0.3081], \"invert\": false} (instead of --scale/--mean/--std/--invert)")
    Path preprocessing;

    @Option(names = "--layout", paramLabel = "L",
            description = "external models: input layout nchw, nhwc, nhw, flat (pixels in HWC order) or flat-chw, "
                    + "or one of them with each image transposed first (nchw-t, nhwc-t, nhw-t, flat-t, flat-chw-t: models "
                    + "trained on column-major images) (default: detected from the input shape)")
    String layout;

    @Option(names = "--output", paramLabel = "NAME",
            description = "external models: the output to read (default: the one float tensor of n x K)")
    String output;

    @Option(names = "--output-kind", paramLabel = "KIND",
            description = "what the outputs are: logits, probabilities, log-probabilities, independent-probabilities "
                    + "(default: detected from the values)")
    String outputKind;

    @Option(names = "--head", paramLabel = "H",
            description = "external models whose outputs are logits: softmax (default) or sigmoid (one-vs-rest)")
    String head;

    @Option(names = "--signature", paramLabel = "KEY", description = "SavedModel: the signature to call (default: the only one)")
    String signature;

    @Option(names = "--class-names", paramLabel = "NAMES", split = ",",
            description = "class names in output-column order, comma-separated (default: 0..K-1, or the model's own)")
    List<String> classNames;

    @Option(names = "--channels", paramLabel = "N",
            description = "external models taking another number of channels than the data has: 3 replicates grey "
                    + "images to RGB, 1 converts colour images to grey (Rec. 601 luma) (default: the images as they are)")
    Integer channels;

    /** Runs the model in this JVM instead of a worker process (see docs/security.md). */
    @Option(names = "--in-process",
            description = "run the model in calibkit's own process (trusted models only: a native crash then ends calibkit; "
                    + "default: an isolated worker process)")
    void inProcess(boolean yes) {
        if (yes) {
            System.setProperty(org.calibkit.core.worker.WorkerOptions.IN_PROCESS_PROPERTY, "true");
        }
    }

    ExternalModelOptions external() {
        return new ExternalModelOptions(scale, mean, std, invert, preprocessing, layout, output, outputKind, head, signature,
                classNames, channels);
    }

    /** --model-type values. */
    static final class TypeConverter implements ITypeConverter<ModelType> {
        @Override
        public ModelType convert(String value) {
            return ModelType.parse(value);
        }
    }
}
