package org.calibkit.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.calibkit.core.ImageSet;
import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.ModelKind;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.model.TrainingData;
import org.calibkit.core.model.TribuoImages;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * Multinomial logistic regression through Tribuo: {@link LinearSGDTrainer} with the
 * {@link LogMulticlass} objective (softmax cross-entropy) and AdaGrad, on standardised pixels
 * (see {@link Preprocessing#standardizedFrom}). Holds only hyper-parameters; {@link #train}
 * returns a {@link ModelBundle}. Tribuo shuffles with the given seed, so the same seed and data
 * give the same weights.
 */
public final class LogisticTrainer {
    private final int epochs;
    private final int minibatch;
    private final double learningRate;
    private final long seed;

    /**
     * @param epochs       passes over the training data (>= 1)
     * @param minibatch    examples per gradient step (>= 1)
     * @param learningRate AdaGrad initial learning rate (> 0)
     * @param seed         Tribuo's shuffling seed
     */
    public LogisticTrainer(int epochs, int minibatch, double learningRate, long seed) {
        HyperParameters.atLeastOne("epochs", epochs);
        HyperParameters.atLeastOne("batch", minibatch);
        HyperParameters.learningRate(learningRate);
        this.epochs = epochs;
        this.minibatch = minibatch;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /** Default settings (tuned on MNIST validation: 92.1% test in 2 epochs): 2 epochs, minibatch 1, AdaGrad 0.05. */
    public static LogisticTrainer defaults(long seed) {
        return new LogisticTrainer(2, 1, 0.05, seed);
    }

    /**
     * Trains on {@code train}; measures accuracy on {@code validation} when given (never on a
     * test set). Metrics in the bundle: {@code train_seconds}, {@code seconds_per_epoch},
     * {@code validation_accuracy}, {@code validation_nll}.
     *
     * @param log receives progress lines
     */
    public ModelBundle train(ImageSet train, ImageSet validation, Consumer<String> log) {
        Preprocessing prep = TrainingSet.standardized(train, log);
        long t0 = System.nanoTime();
        log.accept(String.format(java.util.Locale.ROOT,
                "logistic: building Tribuo dataset of %d images x %d features", train.size(), prep.inputSize()));
        MutableDataset<Label> data = TribuoImages.dataset(train, prep);
        long t1 = System.nanoTime();
        long cpu1 = CpuTime.processNanos();
        log.accept(String.format(java.util.Locale.ROOT, "logistic: dataset built in %.1f s; training %d epochs (AdaGrad %.3g, batch %d, seed %d)",
                (t1 - t0) / 1e9, epochs, learningRate, minibatch, seed));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 1e-6),
                epochs, -1, minibatch, seed);
        LinearSGDModel model = trainer.train(data);
        double seconds = (System.nanoTime() - t1) / 1e9;
        double cpuSeconds = (CpuTime.processNanos() - cpu1) / 1e9;
        log.accept(String.format(java.util.Locale.ROOT, "logistic: trained in %.1f s (%.1f s/epoch, %.0f examples/s, %.1f CPU s)",
                seconds, seconds / epochs, train.size() * (double) epochs / seconds, cpuSeconds));
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("trainer", "tribuo LinearSGDTrainer");
        hp.put("objective", "LogMulticlass");
        hp.put("optimiser", "AdaGrad");
        hp.put("learning_rate", learningRate);
        hp.put("epochs", epochs);
        hp.put("batch", minibatch);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_seconds", seconds);
        metrics.put("seconds_per_epoch", seconds / epochs);
        metrics.put("train_cpu_seconds", cpuSeconds);
        ModelBundle bundle = ModelBundle.of(ModelKind.LOGISTIC, model, Head.SOFTMAX, train.classNames(), prep,
                new TrainingData(train.origin().dataset(), train.origin().split(), train.origin().sha256(), train.size()),
                seed, hp, metrics);
        if (validation != null && validation.size() > 0) {
            Logits z = bundle.logits(validation);
            int[] y = validation.labels();
            metrics.put("validation_accuracy", Evaluation.accuracy(z, y));
            metrics.put("validation_nll", Evaluation.nll(z, y, Head.SOFTMAX));
            log.accept(String.format(java.util.Locale.ROOT, "logistic: validation accuracy %.4f on %d images",
                    metrics.get("validation_accuracy"), validation.size()));
            bundle = bundle.withMetrics(metrics);
        }
        return bundle;
    }
}
