package org.calibkit.core.train;

import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.calibration.Head;

/**
 * The CNN's training settings (immutable; start from {@link #defaults()} and change what you need
 * with the {@code withX} methods).
 *
 * @param epochs       passes over the training data (>= 1)
 * @param batch        images per gradient step (>= 1)
 * @param learningRate Adam's learning rate at the first epoch (finite, > 0)
 * @param lrDecay      learning-rate factor per epoch: epoch e (from 0) uses {@code learningRate * lrDecay^e} (in (0, 1])
 * @param dropout      dropout rate before the last dense layer, in [0, 1)
 * @param head         softmax or sigmoid (one-vs-rest)
 * @param l2           the L2-constrained softmax option
 * @param seed         seed of the initial weights, the shuffling and the dropout masks
 * @param threads      TensorFlow intra-op threads, 0 for all cores
 */
public record CnnOptions(int epochs, int batch, float learningRate, float lrDecay, float dropout, Head head,
                         L2Constraint l2, long seed, int threads) {
    /** Validates every setting, naming it and the value. */
    public CnnOptions {
        HyperParameters.atLeastOne("epochs", epochs);
        HyperParameters.atLeastOne("batch", batch);
        HyperParameters.learningRate(learningRate);
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("lrDecay must be in (0, 1], but got " + lrDecay);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), but got " + dropout);
        }
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(l2, "l2");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, but got " + threads);
        }
    }

    /** The tutorial network's settings: 4 epochs, batch 64, Adam 1e-3 halved every epoch, dropout 0.4, softmax, no L2, seed 1, all cores. */
    public static CnnOptions defaults() {
        return new CnnOptions(4, 64, 1e-3f, 0.5f, 0.4f, Head.SOFTMAX, L2Constraint.none(), 1, 0);
    }

    /** These settings with {@code epochs} passes. */
    public CnnOptions withEpochs(int epochs) { return edit(d -> d.epochs = epochs); }

    /** These settings with {@code batch} images per step. */
    public CnnOptions withBatch(int batch) { return edit(d -> d.batch = batch); }

    /** These settings with Adam's learning rate {@code learningRate}. */
    public CnnOptions withLearningRate(float learningRate) { return edit(d -> d.learningRate = learningRate); }

    /** These settings with the per-epoch learning-rate factor {@code lrDecay}. */
    public CnnOptions withLrDecay(float lrDecay) { return edit(d -> d.lrDecay = lrDecay); }

    /** These settings with dropout rate {@code dropout}. */
    public CnnOptions withDropout(float dropout) { return edit(d -> d.dropout = dropout); }

    /** These settings with output head {@code head}. */
    public CnnOptions withHead(Head head) { return edit(d -> d.head = head); }

    /** These settings with the L2 option {@code l2}. */
    public CnnOptions withL2(L2Constraint l2) { return edit(d -> d.l2 = l2); }

    /** These settings with seed {@code seed}. */
    public CnnOptions withSeed(long seed) { return edit(d -> d.seed = seed); }

    /** These settings with {@code threads} TensorFlow intra-op threads (0 = all cores). */
    public CnnOptions withThreads(int threads) { return edit(d -> d.threads = threads); }

    /** These settings with the changes {@code change} makes to a draft of them; the canonical constructor validates. */
    private CnnOptions edit(Consumer<Draft> change) { Draft d = new Draft(); change.accept(d); return d.build(); }

    /** A mutable copy of these settings that the withers change. */
    private final class Draft {
        int epochs = CnnOptions.this.epochs;
        int batch = CnnOptions.this.batch;
        float learningRate = CnnOptions.this.learningRate;
        float lrDecay = CnnOptions.this.lrDecay;
        float dropout = CnnOptions.this.dropout;
        Head head = CnnOptions.this.head;
        L2Constraint l2 = CnnOptions.this.l2;
        long seed = CnnOptions.this.seed;
        int threads = CnnOptions.this.threads;

        CnnOptions build() { return new CnnOptions(epochs, batch, learningRate, lrDecay, dropout, head, l2, seed, threads); }
    }
}
