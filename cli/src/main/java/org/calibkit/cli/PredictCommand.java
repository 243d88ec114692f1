package org.calibkit.cli;

import java.nio.file.Path;
import java.util.List;

import org.calibkit.cli.predict.Predictor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code calibkit predict}: parses options and calls {@link Predictor}; prints a table or JSON. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The probability of each class for your images: PNG, JPEG, GIF, BMP or TIFF files (told apart by content), an IDX file or a .npy batch "
                + "(n x h x w, n x c x h x w or n x h x w x c; pixels on the 0..255 scale). One row per image: the "
                + "predicted class, its probability and every class's probability (softmax, or independent "
                + "probabilities for sigmoid heads), calibrated with the bundle's stored map unless --raw. The "
                + "model's own preprocessing is applied; images on another pixel scale are refused with the numbers "
                + "unless --force-range.",
                "Exit code 0 on success; 1 on bad input; 2 when the command line does not parse."})
public final class PredictCommand extends CalibkitCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "calibkit bundle (.ckb), ONNX file, SavedModel directory or Tribuo model file")
    Path model;

    @Mixin
    ModelOptionsMixin modelOptions = new ModelOptionsMixin();

    @Option(names = "--raw", description = "the model's own probabilities, without the stored calibration")
    boolean raw;

    @Option(names = "--force-range", description = "predict even when the pixels are not on the scale the model expects")
    boolean forceRange;

    @Option(names = "--json", description = "one JSON object instead of a table")
    boolean json;

    @Parameters(paramLabel = "IMAGE_OR_FILE", arity = "1..*", description = "PNG/JPEG/GIF/BMP/TIFF images, IDX image files, .npy batches")
    List<Path> inputs;

    @Override
    public Integer call() {
        Predictor.Result r = Predictor.predictFiles(model, modelOptions.modelType, modelOptions.external().toOptions(), inputs,
                raw, forceRange);
        print(json ? Predictor.json(r) + "\n" : Predictor.table(r));
        return 0;
    }
}
