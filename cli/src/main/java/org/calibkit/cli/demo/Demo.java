package org.calibkit.cli.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.CnnTrainer;
import org.calibkit.cli.audit.AuditJob;
import org.calibkit.report.audit.AuditResult;

/**
 * What calibkit is for, in one call: fetch and verify a data set, train the default CNN (or reuse
 * the one trained before from the same data, settings and calibkit version), calibrate it on the
 * validation split, audit it with every probe, and write {@code index.html} and
 * {@code report.json} into a directory.
 *
 * @param data      {@code mnist} (default), {@code fashion-mnist}, {@code synthetic-svhn} or {@code svhn}
 * @param dataDir   the user's data directory, or null
 * @param out       the report directory
 * @param epochs    CNN epochs (by default 2 for MNIST, with the learning rate x0.2 after the first: 99.08% test
 *                  accuracy measured, docs/training.md; 4 for Fashion-MNIST, 2 for the SVHN ones, halving)
 * @param retrain   train even when a cached model exists
 * @param cacheDir  where trained models are kept (default {@code <calibkit cache>/models})
 */
public record Demo(String data, Path dataDir, Path out, int epochs, boolean retrain, Path cacheDir) {
    /** The seed of the demo's training and audit. */
    public static final long SEED = 1;

    public Demo {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (epochs < 1) {
            throw new IllegalArgumentException("Expected at least 1 epoch, but got " + epochs);
        }
    }

    /** Defaults for a data set: its epochs, the calibkit cache. */
    public static Demo of(String data, Path dataDir, Path out) {
        return new Demo(data, dataDir, out, data.contains("svhn") || data.equals("mnist") ? 2 : 4, false,
                DataLocations.defaultCacheDir().resolve("models"));
    }

    /** What a run produced. */
    public record Outcome(AuditResult result, Path model, boolean reused, Path html, Path json) {
    }

    /** Runs the demo, printing progress. */
    public Outcome run(Consumer<String> progress) {
        ImageSet train = DataCatalog.load(data, "train", dataDir);
        String dataSha = train.origin().sha256();
        String key = key(dataSha);
        Path model = cacheDir.resolve("demo-" + data + "-cnn-" + key + ".ckb");
        boolean reused = false;
        if (!retrain && Files.isRegularFile(model)) {
            try (ModelBundle b = ModelBundle.load(model)) {
                progress.accept("demo: reusing the CNN trained before (" + model + ", test accuracy "
                        + String.format(Locale.ROOT, "%.4f", b.metrics().getOrDefault("test_accuracy", Double.NaN)) + ")");
                reused = true;
            } catch (CalibkitException e) {
                progress.accept("demo: the cached model " + model + " cannot be used (" + e.getMessage() + "); training again");
            }
        }
        if (!reused) {
            ImageSet validation = DataCatalog.load(data, "validation", dataDir);
            ImageSet test = DataCatalog.load(data, "test", dataDir);
            progress.accept(String.format(Locale.ROOT, "demo: training the default CNN on %d %s images, %d epochs "
                    + "(cached afterwards under %s)", train.size(), data, epochs, cacheDir));
            CnnTrainer trainer = new CnnTrainer(org.calibkit.core.train.CnnOptions.defaults().withEpochs(epochs)
                    .withLrDecay(lrDecay()).withSeed(SEED));
            try (ModelBundle b = trainer.train(train, validation, progress)) {
                java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>(b.metrics());
                metrics.put("test_accuracy", org.calibkit.calibration.metrics.CalibrationMetrics.accuracy(b.logits(test), test.labels()));
                try {
                    Files.createDirectories(cacheDir);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot create the model cache " + cacheDir + ": " + e.getMessage(), e);
                }
                b.withMetrics(metrics).save(model);
            }
        }
        Path html = out.resolve("index.html");
        Path json = out.resolve("report.json");
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the report directory " + out + ": " + e.getMessage(), e);
        }
        AuditResult r = AuditJob.ofModel(new AuditJob.ModelInput(model, data, dataDir), new AuditJob.Outputs(html, json),
                AuditJob.Options.defaults().withCalibration("temperature").withProbeSize(1000).withSeed(SEED)).run(progress);
        return new Outcome(r, model, reused, html, json);
    }

    /** The per-epoch learning-rate factor: 0.2 for MNIST's 2-epoch schedule (measured), else the trainer's halving. */
    float lrDecay() {
        return data.equals("mnist") ? 0.2f : org.calibkit.core.train.CnnOptions.defaults().lrDecay();
    }

    /** The cache key: the training data's SHA-256, the settings and the calibkit version. */
    String key(String dataSha) {
        String what = data + "|" + dataSha + "|cnn|epochs=" + epochs + "|batch=64|lr=0.001|dropout=0.4|softmax|seed=" + SEED
                + (lrDecay() == 0.5f ? "" : "|lr_decay=" + lrDecay())
                + "|" + org.calibkit.cli.audit.AuditJob.class.getPackage().getImplementationVersion();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
