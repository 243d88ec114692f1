package org.calibkit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.ModelKind;
import org.calibkit.core.train.CnnOptions;
import org.calibkit.core.train.CnnTrainer;
import org.calibkit.core.train.L2Constraint;
import org.calibkit.core.train.Evaluation;
import org.calibkit.core.train.LogisticTrainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code calibkit train}: trains a logistic regression or a CNN on a known data set (or a
 * directory of class folders), holding out the validation split, evaluates on the test split only
 * at the end, and saves a model bundle. Progress lines go to stderr, the summary to stdout.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier through Tribuo and save it as a model bundle.",
        footer = {"", "Data: a data set name (mnist, fashion-mnist, svhn, synthetic-svhn, ...) uses its train split for",
                "training, its validation split (MNIST: the last 5,000 training images) for validation and its test",
                "split once at the end. A directory needs train/<class>/*.png and test/<class>/*.png; every 10th",
                "training image is held out for validation."})
public final class TrainCommand extends CalibkitCommand {
    @Option(names = "--data", required = true, paramLabel = "NAME|DIR", description = "Data set name or directory.")
    String data;

    @Option(names = "--model", required = true, paramLabel = "logistic|cnn", description = "logistic or cnn.")
    String model;

    @Option(names = "--head", defaultValue = "softmax", paramLabel = "softmax|sigmoid",
            description = "Output head (cnn only): softmax, or sigmoid for independent one-vs-rest probabilities. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--l2-alpha", paramLabel = "A|learned",
            description = "L2-constrained softmax (cnn only): scale alpha > 0, or 'learned'.")
    String l2Alpha;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (logistic 2, cnn 4).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Images per gradient step (logistic 1, cnn 64).")
    Integer batch;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training images only.")
    Integer limit;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of everything random. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "TensorFlow threads for the cnn, 0 = all cores. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory holding the data set's files.")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model bundle to write.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the run's numbers as JSON.")
    Path json;

    @Override
    public Integer call() {
        ModelKind kind = ModelKind.parse(model);
        Head h = Head.parse(head);
        boolean learned = false;
        double alpha = 0;
        if (l2Alpha != null) {
            if (l2Alpha.equalsIgnoreCase("learned")) {
                learned = true;
            } else {
                try {
                    alpha = Double.parseDouble(l2Alpha);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--l2-alpha must be a number > 0 or 'learned', but got '" + l2Alpha + "'");
                }
                if (!(alpha > 0) || !Double.isFinite(alpha)) {
                    throw new IllegalArgumentException("--l2-alpha must be a number > 0 or 'learned', but got '" + l2Alpha + "'");
                }
            }
        }
        if (kind == ModelKind.LOGISTIC && h != Head.SOFTMAX) {
            throw new IllegalArgumentException("--head " + head + " needs --model cnn (logistic regression has a softmax head)");
        }
        if (kind == ModelKind.LOGISTIC && l2Alpha != null) {
            throw new IllegalArgumentException("--l2-alpha needs --model cnn");
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, but got " + limit);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, but got " + threads);
        }
        int ep = epochs != null ? epochs : (kind == ModelKind.LOGISTIC ? 2 : 4);
        int bs = batch != null ? batch : (kind == ModelKind.LOGISTIC ? 1 : 64);
        // checked here too (the trainers check again) so that a bad option fails before minutes of data loading
        if (ep < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, but got " + ep);
        }
        if (bs < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, but got " + bs);
        }
        PrintWriter stdout = out();
        java.util.function.Consumer<String> log = progress();

        Path dir = Path.of(data);
        boolean folder = Files.isDirectory(dir) && (data.contains("/") || data.contains(java.io.File.separator) || Files.isDirectory(dir.resolve("train")));
        ImageSet train;
        ImageSet validation;
        if (folder) {
            ImageSet all = ImageFolders.readFolders(dir.resolve("train"), "train", ImageFolders.Options.defaults());
            train = every(all, false, "train");
            validation = every(all, true, "validation");
        } else {
            train = DataCatalog.load(data, "train", dataDir);
            validation = DataCatalog.load(data, "validation", dataDir);
        }
        if (limit != null) {
            train = train.limit(limit);
        }
        log.accept(String.format(Locale.ROOT, "train: %s, %d training and %d validation images (%dx%dx%d, %d classes)",
                data, train.size(), validation.size(), train.channels(), train.height(), train.width(), train.numClasses()));

        ModelBundle bundle;
        if (kind == ModelKind.LOGISTIC) {
            bundle = new LogisticTrainer(ep, bs, 0.05, seed).train(train, validation, log);
        } else {
            L2Constraint l2 = learned ? L2Constraint.learned(L2Constraint.DEFAULT_LEARNED_INIT) : alpha > 0 ? L2Constraint.fixed(alpha) : L2Constraint.none();
            bundle = new CnnTrainer(CnnOptions.defaults().withEpochs(ep).withBatch(bs).withHead(h).withL2(l2).withSeed(seed)
                    .withThreads(threads)).train(train, validation, log);
        }
        try (ModelBundle b0 = bundle) {
            // the test split is read only now, after training and validation
            ImageSet test = folder
                    ? org.calibkit.core.data.images.ClassAlignment.align(
                            ImageFolders.readFolders(dir.resolve("test"), "test", ImageFolders.Options.defaults()),
                            b0.classNames(), "test folders of " + data, "the training folders")
                    : DataCatalog.load(data, "test", dataDir);
            Logits z = b0.logits(test);
            int[] y = test.labels();
            Map<String, Double> metrics = new LinkedHashMap<>(b0.metrics());
            metrics.put("test_accuracy", Evaluation.accuracy(z, y));
            metrics.put("test_nll", Evaluation.nll(z, y, b0.head()));
            ModelBundle done = b0.withMetrics(metrics);
            done.save(out);
            String summary = String.format(Locale.ROOT,
                    "trained %s%s on %s: validation accuracy %.4f, test accuracy %.4f, test nll %.4f, %.1f s (%.1f s/epoch); saved %s",
                    kind.id(), kind == ModelKind.CNN ? " (" + h.name().toLowerCase(Locale.ROOT)
                            + (l2Alpha != null ? ", L2 alpha " + l2Alpha : "") + ")" : "",
                    data, metrics.getOrDefault("validation_accuracy", Double.NaN), metrics.get("test_accuracy"),
                    metrics.get("test_nll"), metrics.get("train_seconds"), metrics.get("seconds_per_epoch"), out);
            stdout.println(summary);
            stdout.flush();
            if (json != null) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", kind.id());
                j.put("head", h.name().toLowerCase(Locale.ROOT));
                j.put("l2_alpha", l2Alpha);
                j.put("data", data);
                j.put("seed", seed);
                j.put("epochs", ep);
                j.put("batch", bs);
                j.put("train_examples", train.size());
                j.put("validation_examples", validation.size());
                j.put("test_examples", test.size());
                j.put("train_seconds", metrics.get("train_seconds"));
                j.put("seconds_per_epoch", metrics.get("seconds_per_epoch"));
                j.put("train_cpu_seconds", metrics.get("train_cpu_seconds"));
                j.put("validation_accuracy", metrics.get("validation_accuracy"));
                j.put("test_accuracy", metrics.get("test_accuracy"));
                j.put("test_nll", metrics.get("test_nll"));
                j.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
                j.put("out", out.toString());
                writeJson(json, j);
            }
        }
        return 0;
    }

    /** Every 10th image (index % 10 == 9) when {@code held}, the others otherwise. */
    private static ImageSet every(ImageSet all, boolean held, String split) {
        int[] idx = java.util.stream.IntStream.range(0, all.size()).filter(i -> (i % 10 == 9) == held).toArray();
        if (idx.length == 0) {
            throw new CalibkitException("image folder " + all.origin().location() + " has too few images ("
                    + all.size() + ") to hold out a validation split");
        }
        int per = all.pixelsPerImage();
        float[] px = new float[idx.length * per];
        int[] labels = new int[idx.length];
        float[] src = all.rawPixels();
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(src, idx[j] * per, px, j * per, per);
            labels[j] = all.label(idx[j]);
        }
        return new ImageSet(px, labels, all.channels(), all.height(), all.width(), all.classNames(),
                all.origin().withSplit(split));
    }

    private static void writeJson(Path file, Map<String, Object> values) {
        AtomicWrite.writeUnchecked(file.toAbsolutePath(),
                tmp -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), values));
    }

    @Override
    public String toString() {
        return "train " + Arrays.asList(data, model);
    }
}
