package org.calibkit.core.sources;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;

/**
 * How to drive a model file calibkit did not write (ONNX, SavedModel, Tribuo): everything the
 * model's author documents and the file does not say. Immutable; start from {@link #defaults()}
 * and change one setting at a time:
 * <pre>
 * ModelOptions.defaults()
 *     .withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307}, new double[] {0.3081}, false))
 *     .withClassNames(List.of("0", "1", ..., "9"))
 * </pre>
 * Unset settings are detected: the layout from the input shape, the output when there is one
 * fitting tensor, the output kind from the values.
 */
public final class ModelOptions {
    /** Images per inference call unless said otherwise. */
    public static final int DEFAULT_BATCH = 256;

    private final List<String> classNames;
    private final PixelTransform pixels;
    private final Layout layout;
    private final String output;
    private final OutputKind outputKind;
    private final Head head;
    private final String signature;
    private final int batchSize;
    private final int threads;
    private final int[] imageShape;
    private final Integer channels;

    private ModelOptions(List<String> classNames, PixelTransform pixels, Layout layout, String output,
                         OutputKind outputKind, Head head, String signature, int batchSize, int threads, int[] imageShape) {
        this(classNames, pixels, layout, output, outputKind, head, signature, batchSize, threads, imageShape, null);
    }

    private ModelOptions(List<String> classNames, PixelTransform pixels, Layout layout, String output,
                         OutputKind outputKind, Head head, String signature, int batchSize, int threads, int[] imageShape,
                         Integer channels) {
        this.classNames = classNames;
        this.pixels = pixels;
        this.layout = layout;
        this.output = output;
        this.outputKind = outputKind;
        this.head = head;
        this.signature = signature;
        this.batchSize = batchSize;
        this.threads = threads;
        this.imageShape = imageShape;
        this.channels = channels;
    }

    /** Raw 0..255 pixels, everything else detected, batches of {@value #DEFAULT_BATCH}, the runtime's own thread count. */
    public static ModelOptions defaults() {
        return new ModelOptions(null, PixelTransform.identity(), null, null, null, null, null, DEFAULT_BATCH, 0, null);
    }

    /** Class names in the order of the model's output columns (default "0".."K-1", or the model's own labels). */
    public ModelOptions withClassNames(List<String> names) {
        Objects.requireNonNull(names, "classNames");
        if (names.size() < 2) {
            throw new CalibkitException("a classifier needs at least 2 class names, but got " + names);
        }
        return new ModelOptions(List.copyOf(names), pixels, layout, output, outputKind, head, signature, batchSize, threads, imageShape, channels);
    }

    /** The input transform the model's author documents (default {@link PixelTransform#identity()}). */
    public ModelOptions withPixels(PixelTransform p) {
        return new ModelOptions(classNames, Objects.requireNonNull(p, "pixels"), layout, output, outputKind, head, signature,
                batchSize, threads, imageShape, channels);
    }

    /** The input layout, instead of detecting it from the input shape. */
    public ModelOptions withLayout(Layout l) {
        return new ModelOptions(classNames, pixels, Objects.requireNonNull(l, "layout"), output, outputKind, head, signature,
                batchSize, threads, imageShape, channels);
    }

    /** The output tensor (ONNX output name, SavedModel signature output key), instead of detecting it. */
    public ModelOptions withOutput(String name) {
        return new ModelOptions(classNames, pixels, layout, Objects.requireNonNull(name, "output"), outputKind, head, signature,
                batchSize, threads, imageShape, channels);
    }

    /** What the output holds, instead of detecting it from the values. */
    public ModelOptions withOutputKind(OutputKind k) {
        return new ModelOptions(classNames, pixels, layout, output, Objects.requireNonNull(k, "outputKind"), head, signature,
                batchSize, threads, imageShape, channels);
    }

    /**
     * The head of a model whose output is logits (default softmax; sigmoid for one-vs-rest
     * models). Outputs that are probabilities imply their head.
     */
    public ModelOptions withHead(Head h) {
        return new ModelOptions(classNames, pixels, layout, output, outputKind, Objects.requireNonNull(h, "head"), signature,
                batchSize, threads, imageShape, channels);
    }

    /** The SavedModel signature key, instead of detecting it. */
    public ModelOptions withSignature(String key) {
        return new ModelOptions(classNames, pixels, layout, output, outputKind, head, Objects.requireNonNull(key, "signature"),
                batchSize, threads, imageShape, channels);
    }

    /** Images per inference call (&gt;= 1); a model with a fixed batch dimension uses its own. */
    public ModelOptions withBatchSize(int n) {
        if (n < 1) {
            throw new CalibkitException("batch size must be >= 1, but got " + n);
        }
        return new ModelOptions(classNames, pixels, layout, output, outputKind, head, signature, n, threads, imageShape, channels);
    }

    /** Intra-op threads of the runtime (0 = its default, all cores). */
    public ModelOptions withThreads(int n) {
        if (n < 0) {
            throw new CalibkitException("threads must be >= 0, but got " + n);
        }
        return new ModelOptions(classNames, pixels, layout, output, outputKind, head, signature, batchSize, n, imageShape, channels);
    }

    /**
     * The image shape the model takes (channels, height, width), for models whose input shape
     * does not say it (a flat input of 784 values); needed to detect the output kind at load
     * time and to state the preprocessing.
     */
    public ModelOptions withImageShape(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new CalibkitException("image shape must be positive, but got " + channels + "x" + height + "x" + width);
        }
        return new ModelOptions(classNames, pixels, layout, output, outputKind, head, signature, batchSize, threads,
                new int[] {channels, height, width}, this.channels);
    }

    /**
     * The number of channels the model takes, when the data has another: images are converted
     * before the pixel transform ({@link org.calibkit.core.Channels}: 1 -> 3 replicates grey,
     * 3 -> 1 takes the Rec. 601 luma); images that already have that many are left alone.
     */
    public ModelOptions withChannels(int n) {
        if (n != 1 && n != 3) {
            throw new CalibkitException("channels must be 1 (grey) or 3 (RGB), but got " + n);
        }
        return new ModelOptions(classNames, pixels, layout, output, outputKind, head, signature, batchSize, threads,
                imageShape, n);
    }

    public Optional<List<String>> classNames() { return Optional.ofNullable(classNames); }
    public PixelTransform pixels() { return pixels; }
    public Optional<Layout> layout() { return Optional.ofNullable(layout); }
    public Optional<String> output() { return Optional.ofNullable(output); }
    public Optional<OutputKind> outputKind() { return Optional.ofNullable(outputKind); }
    public Optional<Head> head() { return Optional.ofNullable(head); }
    public Optional<String> signature() { return Optional.ofNullable(signature); }
    public int batchSize() { return batchSize; }
    public int threads() { return threads; }
    /** {channels, height, width} when given. */
    public Optional<int[]> imageShape() { return Optional.ofNullable(imageShape).map(int[]::clone); }
    /** The channels images are converted to before the model, when given ({@link #withChannels}). */
    public Optional<Integer> channels() { return Optional.ofNullable(channels); }
}
