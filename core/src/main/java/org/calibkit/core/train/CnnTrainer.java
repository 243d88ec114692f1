// Over 400 lines: the training loop, Tribuo's Trainer interface and the protobuf packaging share private state; settings live in CnnOptions.
package org.calibkit.core.train;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.ModelKind;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.model.SigmoidLabelConverter;
import org.calibkit.core.model.TrainingData;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.interop.tensorflow.ImageConverter;
import org.tribuo.interop.tensorflow.LabelConverter;
import org.tribuo.interop.tensorflow.OutputConverter;
import org.tribuo.interop.tensorflow.TensorFlowNativeModel;
import org.tribuo.interop.tensorflow.TensorFlowUtil;
import org.tribuo.interop.tensorflow.protos.TensorFlowNativeModelProto;
import org.tribuo.interop.tensorflow.protos.TensorTupleProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import com.google.protobuf.Any;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;

/**
 * A convolutional network trained with TensorFlow through TF-Java, packaged as Tribuo's
 * {@link TensorFlowNativeModel} (see {@link CnnNetwork} for the architecture and the L2 option).
 *
 * <p>Why our own training loop instead of Tribuo's {@code TensorFlowTrainer}: that trainer feeds
 * only inputs and targets, so a dropout layer in its graph stays on at prediction time, and its
 * {@code LabelConverter} puts the softmax inside the graph. Here the training graph (dropout on,
 * Adam from tensorflow-framework) and the inference graph (no dropout) are separate graphs with
 * the same variables; the inference graph plus the trained weights become a Tribuo
 * {@code TensorFlowNativeModel} (Tribuo's protobuf format, its provenance, its
 * {@link ImageConverter} and {@link LabelConverter} or our {@link SigmoidLabelConverter}), whose
 * {@code predict} gives probabilities and whose {@code logits} op gives raw logits. Adam runs
 * on TensorFlow's {@code ApplyAdam} kernel with the learning rate fed per step, halved after
 * every epoch by default ({@code lrDecay}).
 *
 * <p>Determinism: weights are initialised in Java from the seed, batches are shuffled from the
 * seed, dropout masks come from seeded TensorFlow ops, and every Adam step waits for all
 * gradients before it changes a variable. Measured here, the same seed and data then give
 * bit-identical logits on 1 or 2 TensorFlow threads, with TensorFlow's oneDNN kernels on or off
 * (without the barrier, same-seed runs differed by up to 78 in a logit). Other CPUs or TensorFlow
 * builds may pick other kernels, so identity is only claimed for one machine.
 */
public final class CnnTrainer implements org.tribuo.Trainer<Label> {
    @Config(description = "Passes over the training data.")
    private int epochs = 4;
    @Config(description = "Images per gradient step.")
    private int batch = 64;
    @Config(description = "Adam learning rate.")
    private float learningRate = 1e-3f;
    @Config(description = "Learning-rate factor per epoch: epoch e (from 0) uses learningRate * lrDecay^e.")
    private float lrDecay = 0.5f;
    @Config(description = "Dropout rate before the last dense layer, 0 for none.")
    private float dropout = 0.4f;
    @Config(description = "Output head: SOFTMAX or SIGMOID.")
    private Head head = Head.SOFTMAX;
    @Config(description = "L2-constrained softmax scale alpha: the constant, or the learned alpha's start value (0 for none).")
    private double l2Alpha = 0;
    @Config(description = "Whether alpha is learned (starting at l2Alpha).")
    private boolean l2Learned = false;
    @Config(description = "Seed for initial weights, shuffling and dropout.")
    private long seed = 1;
    @Config(description = "TensorFlow intra-op threads, 0 for all cores.")
    private int threads = 0;

    private int invocationCount = 0;
    private CnnOptions options = CnnOptions.defaults();

    /** For olcut configuration only. */
    private CnnTrainer() {
    }

    /** A trainer with {@code options} (see {@link CnnOptions#defaults()}). */
    public CnnTrainer(CnnOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.epochs = options.epochs();
        this.batch = options.batch();
        this.learningRate = options.learningRate();
        this.lrDecay = options.lrDecay();
        this.dropout = options.dropout();
        this.head = options.head();
        L2Constraint l2 = options.l2();
        this.l2Alpha = l2 instanceof L2Constraint.Fixed f ? f.alpha() : l2 instanceof L2Constraint.Learned l ? l.init() : 0;
        this.l2Learned = l2 instanceof L2Constraint.Learned;
        this.seed = options.seed();
        this.threads = options.threads();
    }

    /** The tutorial defaults ({@link CnnOptions#defaults()}) with {@code seed}. */
    public static CnnTrainer defaults(long seed) {
        return new CnnTrainer(CnnOptions.defaults().withSeed(seed));
    }

    /** This trainer's settings. */
    public CnnOptions options() {
        return options;
    }

    /** Result of the core loop: the Tribuo model and what was measured. */
    private record Trained(Model<Label> model, double seconds, double cpuSeconds, double lastLoss,
                           Double validationAccuracy, Double validationNll) {
    }

    /**
     * Trains on {@code train} with standardised pixels ({@link Preprocessing#standardizedFrom}),
     * reporting validation accuracy after every epoch when {@code validation} is given (never a
     * test set). Metrics in the bundle: {@code train_seconds}, {@code seconds_per_epoch},
     * {@code final_train_loss}, {@code validation_accuracy}, {@code validation_nll}.
     *
     * @param log receives progress lines (epoch, loss, examples/s, ETA)
     */
    public ModelBundle train(ImageSet train, ImageSet validation, Consumer<String> log) {
        Preprocessing prep = TrainingSet.standardized(train, log);
        float[] x = prep.apply(train);
        float[] vx = null;
        int[] vy = null;
        if (validation != null && validation.size() > 0) {
            vx = prep.apply(validation);
            vy = validation.labels();
        }
        DatasetProvenance dataProv = describe(train);
        Trained t = trainCore(prep, train.classNames(), x, train.labels(), vx, vy, dataProv, Map.of(), log);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_seconds", t.seconds());
        metrics.put("seconds_per_epoch", t.seconds() / epochs);
        metrics.put("train_cpu_seconds", t.cpuSeconds());
        metrics.put("final_train_loss", t.lastLoss());
        if (t.validationAccuracy() != null) {
            metrics.put("validation_accuracy", t.validationAccuracy());
            metrics.put("validation_nll", t.validationNll());
        }
        return ModelBundle.of(ModelKind.CNN, t.model(), head, train.classNames(), prep,
                new TrainingData(train.origin().dataset(), train.origin().split(), train.origin().sha256(), train.size()),
                seed, hyperparameters(), metrics);
    }

    /** The settings, for the bundle manifest. */
    public Map<String, Object> hyperparameters() {
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("trainer", "calibkit CnnTrainer (TF-Java training loop, Tribuo TensorFlowNativeModel)");
        hp.put("architecture", "conv5x5x32-relu-maxpool2-conv5x5x64-relu-maxpool2-dense1024-relu-dropout-dense");
        hp.put("epochs", epochs);
        hp.put("batch", batch);
        hp.put("optimiser", "Adam");
        hp.put("learning_rate", (double) learningRate);
        hp.put("learning_rate_decay_per_epoch", (double) lrDecay);
        hp.put("dropout", (double) dropout);
        hp.put("head", head.name().toLowerCase(Locale.ROOT));
        hp.put("l2_alpha", l2Learned ? "learned" : (l2Alpha > 0 ? (Object) l2Alpha : "off"));
        if (l2Learned) {
            hp.put("l2_alpha_init", (double) alphaInit());
        }
        hp.put("threads", threads);
        return hp;
    }

    private float alphaInit() {
        return l2Alpha > 0 ? (float) l2Alpha : (float) L2Constraint.DEFAULT_LEARNED_INIT;
    }

    private static DatasetProvenance describe(ImageSet train) {
        LabelFactory f = new LabelFactory();
        String sha = train.origin().sha256();
        return new MutableDataset<>(new SimpleDataSourceProvenance(train.origin().dataset() + "/" + train.origin().split()
                + " n=" + train.size() + (sha == null ? "" : " sha256=" + sha), f), f).getProvenance();
    }

    private Trained trainCore(Preprocessing prep, List<String> classes, float[] x, int[] y, float[] vx, int[] vy,
                              DatasetProvenance dataProv, Map<String, Provenance> runProv, Consumer<String> log) {
        int n = y.length;
        int k = classes.size();
        int p = prep.inputSize();
        CnnNetwork.Spec spec = new CnnNetwork.Spec(prep.height(), prep.width(), prep.channels(), k, 32, 64, 1024,
                head, l2Learned ? 0 : l2Alpha, l2Learned);
        ConfigProto.Builder cfg = ConfigProto.newBuilder().setInterOpParallelismThreads(1);
        cfg.setIntraOpParallelismThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        ConfigProto config = cfg.build();
        CnnNetwork.Built tr = CnnNetwork.build(spec, true, dropout, seed);
        CnnNetwork.Built inf = CnnNetwork.build(spec, false, 0, 0);
        try (Session ts = new Session(tr.graph(), config); Session is = new Session(inf.graph(), config)) {
            org.tensorflow.op.core.Placeholder<TFloat32> lrFeed = tr.tf().withName("learning_rate").placeholder(TFloat32.class);
            CnnNetwork.Adam adam = CnnNetwork.adam(tr, lrFeed, 0.9f, 0.999f, 1e-7f);
            Op step = adam.step();
            CnnNetwork.assign(ts, spec, CnnNetwork.initialWeights(spec, seed, alphaInit()));
            adam.reset(ts);
            log.accept(String.format(Locale.ROOT, "cnn: %d images %dx%dx%d, %d classes, head %s%s; %d epochs, batch %d, Adam %.3g (x%.2f per epoch), dropout %.2f, seed %d",
                    n, prep.height(), prep.width(), prep.channels(), k, head.name().toLowerCase(Locale.ROOT),
                    spec.l2() ? (l2Learned ? ", L2 alpha learned" : ", L2 alpha " + l2Alpha) : "",
                    epochs, batch, learningRate, lrDecay, dropout, seed));
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom shuffle = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            float[] bx = new float[batch * p];
            float[] by = new float[batch * k];
            long start = System.nanoTime();
            long cpuStart = CpuTime.processNanos();
            long total = (long) n * epochs;
            double lastLoss = Double.NaN;
            Double vAcc = null;
            Double vNll = null;
            int reportEvery = Math.max(1, (n / batch) / 10);
            StepProfile profile = StepProfile.fromSystemProperty(tr.graph());
            int globalStep = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                float epochRate = (float) (learningRate * Math.pow(lrDecay, epoch));
                long epochStart = System.nanoTime();
                long epochCpu = CpuTime.processNanos();
                double lossSum = 0;
                int lossCount = 0;
                int steps = 0;
                for (int from = 0; from < n; from += batch) {
                    int m = Math.min(batch, n - from);
                    java.util.Arrays.fill(by, 0, m * k, 0f);
                    for (int b = 0; b < m; b++) {
                        int idx = order[from + b];
                        System.arraycopy(x, idx * p, bx, b * p, p);
                        by[b * k + y[idx]] = 1f;
                    }
                    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(m, prep.height(), prep.width(), prep.channels()),
                            DataBuffers.of(bx, true, false).slice(0, (long) m * p));
                         TFloat32 yt = TFloat32.tensorOf(Shape.of(m, k), DataBuffers.of(by, true, false).slice(0, (long) m * k));
                         TFloat32 lr = TFloat32.scalarOf(epochRate);
                         Result r = runStep(ts.runner().feed(tr.input(), xt).feed(tr.targets(), yt).feed(lrFeed, lr)
                                 .addTarget(step).fetch(tr.loss()), profile, globalStep++)) {
                        double loss = ((TFloat32) r.get(0)).getFloat();
                        if (!Double.isFinite(loss)) {
                            throw new CalibkitException("training diverged: loss is " + loss + " at epoch " + (epoch + 1)
                                    + ", step " + (steps + 1) + " (try a smaller learning rate)");
                        }
                        lossSum += loss;
                        lossCount++;
                    }
                    steps++;
                    if (steps % reportEvery == 0 && from + m < n) {
                        long done = (long) epoch * n + from + m;
                        double el = (System.nanoTime() - start) / 1e9;
                        double rate = done / el;
                        log.accept(String.format(Locale.ROOT, "cnn: epoch %d/%d %3.0f%%  loss %.4f  %.0f examples/s  ETA %s",
                                epoch + 1, epochs, 100.0 * (from + m) / n, lossSum / lossCount, rate,
                                eta((total - done) / rate)));
                        lossSum = 0;
                        lossCount = 0;
                    }
                }
                if (lossCount > 0) {
                    lastLoss = lossSum / lossCount;
                }
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                double epochCpuSeconds = (CpuTime.processNanos() - epochCpu) / 1e9;
                CnnNetwork.assign(is, spec, CnnNetwork.read(ts, spec));
                String val = "";
                if (vx != null) {
                    Logits z = Logits.of(logits(is, vx, vy.length, prep, k));
                    vAcc = Evaluation.accuracy(z, vy);
                    vNll = Evaluation.nll(z, vy, head);
                    val = String.format(Locale.ROOT, ", validation accuracy %.4f, nll %.4f", vAcc, vNll);
                }
                double el = (System.nanoTime() - start) / 1e9;
                log.accept(String.format(Locale.ROOT, "cnn: epoch %d/%d done in %.1f s (%.0f examples/s, %.1f CPU s), loss %.4f%s, ETA %s",
                        epoch + 1, epochs, epochSeconds, n / epochSeconds, epochCpuSeconds, lastLoss, val,
                        eta(el / (epoch + 1) * (epochs - epoch - 1))));
            }
            if (profile != null) {
                profile.report(log);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (CpuTime.processNanos() - cpuStart) / 1e9;
            Model<Label> model = toTribuo(inf, is, prep, classes, dataProv, runProv);
            return new Trained(model, seconds, cpuSeconds, lastLoss, vAcc, vNll);
        } finally {
            tr.graph().close();
            inf.graph().close();
        }
    }

    /** Runs one step, traced by TensorFlow when {@code profile} asks for it. */
    private static Result runStep(Session.Runner runner, StepProfile profile, int globalStep) {
        if (profile == null || !profile.traces(globalStep)) {
            return runner.run();
        }
        long t0 = System.nanoTime();
        Result r = runner.setOptions(StepProfile.TRACE).runAndFetchMetadata();
        profile.add(r.getMetadata().orElseThrow(), System.nanoTime() - t0);
        return r;
    }

    private static double[][] logits(Session s, float[] x, int n, Preprocessing prep, int k) {
        int p = prep.inputSize();
        double[][] out = new double[n][k];
        int chunk = 500;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(m, prep.height(), prep.width(), prep.channels()),
                    DataBuffers.of(x, true, false).slice((long) from * p, (long) m * p));
                 Result r = s.runner().feed(CnnNetwork.INPUT, xt).fetch(CnnNetwork.LOGITS).run()) {
                float[] z = new float[m * k];
                ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(z);
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < k; c++) {
                        out[from + i][c] = z[i * k + c];
                    }
                }
            }
        }
        return out;
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** Packs the inference graph and its weights as a Tribuo TensorFlowNativeModel (protobuf route). */
    @SuppressWarnings("unchecked")
    private Model<Label> toTribuo(CnnNetwork.Built inf, Session is, Preprocessing prep, List<String> classes,
                                  DatasetProvenance dataProv, Map<String, Provenance> runProv) {
        MutableFeatureMap fm = new MutableFeatureMap();
        for (String name : prep.featureNames()) {
            fm.add(name, 0.0);
        }
        ImmutableFeatureMap features = new ImmutableFeatureMap(fm);
        Map<Label, Integer> ids = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            ids.put(new Label(classes.get(c)), c);
        }
        ImmutableOutputInfo<Label> outputs = new LabelFactory().constructInfoForExternalModel(ids);
        ModelProvenance prov = new ModelProvenance(TensorFlowNativeModel.class.getName(), OffsetDateTime.now(),
                dataProv, getProvenance(), runProv);
        OutputConverter<Label> converter = head == Head.SOFTMAX ? new LabelConverter() : new SigmoidLabelConverter();
        // ImageConverter's tensor shape is (batch, "width", "height", channels); passing height
        // first makes it (batch, height, width, channels), the NHWC layout of our input op.
        ImageConverter images = new ImageConverter(CnnNetwork.INPUT, prep.height(), prep.width(), prep.channels());
        TensorFlowNativeModelProto.Builder b = TensorFlowNativeModelProto.newBuilder()
                .setMetadata(new ModelDataCarrier<>("calibkit-cnn", prov, features, outputs, true, Tribuo.VERSION).serialize())
                .setModelDef(inf.graph().toGraphDef().toByteString())
                .setOutputName(CnnNetwork.PROBABILITIES)
                .setBatchSize(256)
                .setOutputConverter(converter.serialize())
                .setFeatureConverter(images.serialize());
        for (Map.Entry<String, TensorFlowUtil.TensorTuple> e : TensorFlowUtil.extractMarshalledVariables(inf.graph(), is).entrySet()) {
            TensorTupleProto t = e.getValue().serialize();
            b.putTensors(e.getKey(), t);
        }
        ModelProto proto = ModelProto.newBuilder().setClassName(TensorFlowNativeModel.class.getName())
                .setVersion(TensorFlowNativeModel.CURRENT_VERSION).setSerializedData(Any.pack(b.build())).build();
        return (Model<Label>) Model.deserialize(proto);
    }

    /**
     * Tribuo's entry point: trains on a Tribuo dataset whose features are named like
     * {@link Preprocessing#featureName} for {@code prep}'s shape and already preprocessed. The
     * image shape is inferred as square with 1 or 3 channels.
     */
    @Override
    public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocation) {
        if (invocation != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocation);
        }
        invocationCount++;
        int f = examples.getFeatureIDMap().size();
        int channels = -1;
        int size = -1;
        for (int c : new int[] {1, 3}) {
            int s = (int) Math.round(Math.sqrt(f / (double) c));
            if (s * s * c == f) {
                channels = c;
                size = s;
                break;
            }
        }
        if (channels < 0) {
            throw new CalibkitException("a dataset of " + f + " features is not a square image with 1 or 3 channels");
        }
        Preprocessing prep = new Preprocessing(1.0, new double[channels], ones(channels), channels, size, size, -1e9, 1e9);
        ImmutableFeatureMap fmap = examples.getFeatureIDMap();
        List<String> classes = new ArrayList<>();
        ImmutableOutputInfo<Label> info = examples.getOutputIDInfo();
        for (int i = 0; i < info.size(); i++) {
            classes.add(info.getOutput(i).getLabel());
        }
        float[] x = new float[Math.multiplyExact(examples.size(), f)];
        int[] y = new int[examples.size()];
        int row = 0;
        for (Example<Label> e : examples) {
            for (Feature feat : e) {
                int id = fmap.getID(feat.getName());
                if (id >= 0) {
                    x[row * f + id] = (float) feat.getValue();
                }
            }
            y[row] = classes.indexOf(e.getOutput().getLabel());
            row++;
        }
        return trainCore(prep, classes, x, y, null, null, examples.getProvenance(), runProvenance, s -> { }).model();
    }

    private static double[] ones(int c) {
        double[] o = new double[c];
        java.util.Arrays.fill(o, 1.0);
        return o;
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("invocation count must be >= 0, but got " + count);
        }
        invocationCount = count;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "CnnTrainer(epochs=" + epochs + ", batch=" + batch + ", lr=" + learningRate + ", dropout=" + dropout
                + ", head=" + head + ", l2Alpha=" + (l2Learned ? "learned" : l2Alpha) + ", seed=" + seed + ")";
    }
}
