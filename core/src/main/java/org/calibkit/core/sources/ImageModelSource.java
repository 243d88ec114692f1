package org.calibkit.core.sources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.model.Preprocessing;

/**
 * What the ONNX and SavedModel sources share: images -> pixel transform -> layout -> batches of
 * one input tensor -> one output of n x K numbers -> {@link OutputKind} -> logits. Subclasses
 * only describe the graph's input and run one batch.
 *
 * <p>The output kind is fixed when the model is opened, before any data is seen: stated by the
 * caller, or detected from the model's outputs on {@value #PROBE_IMAGES} seeded noise images
 * (plus a black and a white one). A softmax, log-softmax or sigmoid at the end of a graph shows
 * on any input. Every later batch is checked against that kind (a row of "probabilities" that
 * does not sum to 1 is an error naming the row), so a wrong detection cannot pass silently.
 */
abstract class ImageModelSource extends RangeGuardedSource implements AutoCloseable {
    static final int PROBE_IMAGES = 16;
    private static final long PROBE_SEED = 0x5EED;

    private Io io;
    private int columns;

    ImageModelSource(String where, ModelOptions options) {
        super(where, options);
    }

    /**
     * The graph's one input and one output as the subclass read them.
     *
     * @param inputDescription  "input 'x'", for messages
     * @param inputShape        the input tensor's shape, -1 for dynamic dimensions (the batch dimension first)
     * @param outputDescription "output 'y'", for messages
     * @param declaredColumns   the output's column count when the graph states it, else -1
     */
    record Io(String inputDescription, long[] inputShape, String outputDescription, int declaredColumns) {
    }

    /** One batch's raw outputs: rows x columns, row-major. */
    record Outputs(double[] values, int rows, int columns) {
    }

    /** The input's shape as the graph declares it, -1 for dynamic dimensions (the batch dimension first). */
    public long[] inputShape() {
        return io.inputShape().clone();
    }

    private String inputDescription() {
        return io.inputDescription();
    }

    private String outputDescription() {
        return io.outputDescription();
    }

    /**
     * Runs one batch. {@code input} holds exactly the product of {@code shape} values.
     *
     * @throws CalibkitException naming the model and the problem
     */
    abstract Outputs run(float[] input, long[] shape);

    /** Class names the model itself carries (a ZipMap's labels), if any. */
    Optional<List<String>> modelClassNames() {
        return Optional.empty();
    }

    /** Resolves class names, columns, output kind and head of {@code graph}; subclasses call it at the end of their constructor. */
    final void resolveOutputs(Io graph) {
        io = graph;
        int declared = graph.declaredColumns();
        List<String> given = options.classNames().orElse(null);
        if (given != null && declared > 0 && declared != given.size()) {
            throw new CalibkitException(where + " " + outputDescription() + " has " + declared + " columns, but "
                    + given.size() + " class names were given");
        }
        OutputKind stated = options.outputKind().orElse(null);
        OutputKind kind;
        if (stated == null || (declared <= 0 && given == null)) {
            Outputs probe = probe();
            columns = probe.columns();
            if (stated == null) {
                try {
                    kind = OutputKind.detect(probe.values(), probe.rows(), probe.columns());
                } catch (IllegalArgumentException e) {
                    throw new CalibkitException(where + " " + outputDescription() + " on probe inputs: " + e.getMessage(), e);
                }
            } else {
                kind = stated;
            }
        } else {
            kind = stated;
            columns = declared > 0 ? declared : given.size();
        }
        if (given != null && given.size() != columns) {
            throw new CalibkitException(where + " " + outputDescription() + " has " + columns + " columns, but "
                    + given.size() + " class names were given");
        }
        if (columns < 2) {
            throw new CalibkitException(where + " " + outputDescription() + " has " + columns
                    + " column(s); calibkit needs one score per class (at least 2)");
        }
        List<String> classNames = given != null ? given : modelClassNames().orElseGet(() -> numbered(columns));
        resolved(classNames, kind, kind == OutputKind.LOGITS ? options.head().orElse(Head.SOFTMAX) : kind.head());
        if (kind != OutputKind.LOGITS && options.head().isPresent() && options.head().get() != kind.head()) {
            throw new CalibkitException(where + " " + outputDescription() + " holds " + kind.id().replace('_', ' ')
                    + ", whose head is " + kind.head().id() + ", but head " + options.head().get().id() + " was asked for");
        }
    }

    static List<String> numbered(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** Model outputs for seeded noise images, a black and a white one, in the input's own shape. */
    private Outputs probe() {
        long[] shape = inputShape();
        int[] img = options.imageShape().orElse(null);
        if (img == null && options.layout().isPresent()) {
            img = imageShapeFromInput();
        }
        if (img != null) {
            img = new int[] {fed(img[0]), img[1], img[2]};
        }
        int rows = PROBE_IMAGES + 2;
        int per;
        float[][] affine;
        long[] batchShape;
        Layout layout = null;
        if (img != null) {
            layout = Layout.resolve(options.layout().orElse(null), shape, img[0], img[1], img[2],
                    where + " " + inputDescription());
            per = img[0] * img[1] * img[2];
            affine = options.pixels().affine(img[0]);
            batchShape = layout.feedShape(shape, rows, img[0], img[1], img[2]);
        } else {
            long p = 1;
            for (int d = 1; d < shape.length; d++) {
                if (shape[d] < 0) {
                    throw new CalibkitException(where + " " + inputDescription() + " has shape " + Layout.dims(shape)
                            + " with dynamic image dimensions; give the image shape (channels, height, width)"
                            + (options.outputKind().isPresent() ? " or the class names" : " or the output kind and the class names"));
                }
                p *= shape[d];
            }
            if (shape.length < 2 || p > Integer.MAX_VALUE / rows) {
                throw new CalibkitException(where + " " + inputDescription() + " has shape " + Layout.dims(shape)
                        + ", which is not a batch of images");
            }
            per = (int) p;
            affine = options.pixels().firstChannelAffine(); // good enough for noise whose channels are unknown
            batchShape = shape.clone();
            batchShape[0] = rows;
        }
        SplittableRandom rnd = new SplittableRandom(PROBE_SEED);
        float[] raw = new float[rows * per];
        for (int i = 0; i < PROBE_IMAGES * per; i++) {
            raw[i] = rnd.nextInt(256);
        }
        Arrays.fill(raw, (PROBE_IMAGES + 1) * per, rows * per, 255f);
        float[] input = new float[raw.length];
        if (layout == null) {
            for (int i = 0; i < raw.length; i++) {
                input[i] = raw[i] * affine[0][0] + affine[1][0];
            }
        } else {
            ImageInput.fill(raw, img[0], img[1], img[2], 0, rows, layout, affine, input);
        }
        return runBatches(input, batchShape, rows, per);
    }

    /** Splits {@code rows} prepared inputs into the model's batch size (padding a fixed batch) and runs them. */
    private Outputs runBatches(float[] input, long[] shape, int rows, int per) {
        long fixed = inputShape().length > 0 ? inputShape()[0] : -1;
        int batch = fixed > 0 ? (int) fixed : options.batchSize();
        double[] out = null;
        int cols = -1;
        for (int from = 0; from < rows; from += batch) {
            int m = Math.min(batch, rows - from);
            int feed = fixed > 0 ? batch : m;
            float[] x = new float[feed * per];
            System.arraycopy(input, from * per, x, 0, m * per);
            long[] s = shape.clone();
            s[0] = feed;
            Outputs o = run(x, s);
            if (o.rows() != feed) {
                throw new CalibkitException(where + " " + outputDescription() + " gave " + o.rows() + " rows for a batch of "
                        + feed + " images");
            }
            if (out == null) {
                cols = o.columns();
                out = new double[Math.multiplyExact(rows, cols)];
            } else if (o.columns() != cols) {
                throw new CalibkitException(where + " " + outputDescription() + " gave " + o.columns() + " columns, then "
                        + cols);
            }
            System.arraycopy(o.values(), 0, out, from * cols, m * cols);
        }
        return new Outputs(out, rows, cols);
    }

    /** The layout the model's input shape implies for images of this shape (or the one asked for). */
    public Layout layoutFor(int channels, int height, int width) {
        return Layout.resolve(options.layout().orElse(null), inputShape(), fed(channels), height, width,
                where + " " + inputDescription());
    }

    /** "[-1, 28, 28, 1]", and ", layout nhwc" when the image shape is given: the input as the model description says it. */
    public String inputShapeAndLayout() {
        return Arrays.toString(inputShape()) + options.imageShape()
                .map(img -> ", layout " + layoutFor(img[0], img[1], img[2]).id()).orElse("");
    }

    /** The channels the model is fed for images of {@code channels}: the converted number when a conversion was asked for. */
    private int fed(int channels) {
        return options.channels().orElse(channels);
    }

    /**
     * The preprocessing as a calibkit {@link Preprocessing}, when the image shape is known (given,
     * or read from a 4-d or 3-d input shape whose layout is certain) and the transform does not invert.
     */
    @Override
    public Optional<Preprocessing> inputPreprocessing() {
        int[] img = options.imageShape().orElse(null);
        if (img == null) {
            img = imageShapeFromInput();
        }
        return img == null ? Optional.empty() : options.pixels().toPreprocessing(fed(img[0]), img[1], img[2]);
    }

    private int[] imageShapeFromInput() {
        long[] s = inputShape();
        for (long d : Arrays.copyOfRange(s, 1, s.length)) {
            if (d < 1) {
                return null;
            }
        }
        Layout l = options.layout().orElse(null);
        if (s.length == 3 && (l == null || l == Layout.NHW)) {
            return new int[] {1, (int) s[1], (int) s[2]};
        }
        if (s.length != 4) {
            return null;
        }
        boolean nchw = Layout.matching(s, (int) s[1], (int) s[2], (int) s[3]).contains(Layout.NCHW);
        boolean nhwc = Layout.matching(s, (int) s[3], (int) s[1], (int) s[2]).contains(Layout.NHWC);
        if (l == Layout.NCHW || (l == null && nchw && s[1] <= 4 && s[3] > 4)) {
            return new int[] {(int) s[1], (int) s[2], (int) s[3]};
        }
        if (l == Layout.NHWC || (l == null && nhwc && s[3] <= 4 && s[1] > 4)) {
            return new int[] {(int) s[3], (int) s[1], (int) s[2]};
        }
        return null;
    }

    @Override
    Logits logits(ImageSet given, boolean checkRange) {
        ImageSet images = given;
        if (options.channels().isPresent() && options.channels().get() != given.channels()) {
            if (given.channels() != 1 && given.channels() != 3) {
                throw new CalibkitException("images " + given.origin().dataset() + "/" + given.origin().split() + " have "
                        + given.channels() + " channels; only grey (1) and RGB (3) convert to the " + options.channels().get()
                        + " channel(s) asked for");
            }
            images = org.calibkit.core.Channels.convert(given, options.channels().get());
        }
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        Layout layout = layoutFor(c, h, w);
        if (checkRange) {
            // the ImageSet convention is 0..255 whatever the model wants; the transform is the model's business
            Preprocessing.RangeCheck rc = Preprocessing.identity(c, h, w).checkRange(images);
            if (!rc.ok()) {
                throw new CalibkitException(rc.message() + "; refusing to predict with " + where
                        + " (pass the images on the 0..255 scale; the model's scaling is its pixel transform)");
            }
        }
        float[][] affine = options.pixels().affine(c);
        int per = c * h * w;
        int n = images.size();
        long fixed = inputShape()[0];
        int chunk = fixed > 0 ? (int) fixed * Math.max(1, options.batchSize() / (int) fixed) : options.batchSize();
        double[] all = new double[Math.multiplyExact(n, columns)];
        float[] x = new float[Math.multiplyExact(Math.min(chunk, n), per)];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            ImageInput.fill(images.rawPixels(), c, h, w, from, from + m, layout, affine, x);
            Outputs o = runBatches(x, layout.feedShape(inputShape(), m, c, h, w), m, per);
            if (o.columns() != columns) {
                throw new CalibkitException(where + " " + outputDescription() + " gave " + o.columns()
                        + " columns for images " + images + ", but " + columns + " when it was opened");
            }
            System.arraycopy(o.values(), 0, all, from * columns, m * columns);
        }
        OutputKind kind = outputKind();
        try {
            return kind.toLogits(all, n, columns);
        } catch (IllegalArgumentException e) {
            String how = options.outputKind().isPresent() ? "stated as " : "detected at load as ";
            throw new CalibkitException(where + " " + outputDescription() + " (" + how + kind.id().replace('_', ' ')
                    + ") on images " + images.origin().dataset() + "/" + images.origin().split() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public abstract void close();
}
