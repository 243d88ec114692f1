package org.calibkit.examples.bench.calibration;

import java.util.concurrent.TimeUnit;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.examples.bench.TargetMs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The calibration targets of issue 4, one benchmark each (average time per call, milliseconds).
 * Every benchmark takes what a user would pass (logits and labels, or two score arrays), so the
 * time includes the softmax / top-label pass.
 * Targets (issue 4, in ms on 2 cores) are the {@link TargetMs} on each method.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CalibrationBenchmarks {

    /** n x 10 seeded logits and their labels. */
    abstract static class LabelledLogits {
        private final int n;
        private final long seed;
        Logits logits;
        int[] labels;

        LabelledLogits(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        @Setup
        public void setup() {
            labels = new int[n];
            logits = BenchData.logits(n, 10, seed, labels);
        }
    }

    /** 10,000 x 10 logits (a typical calibration or test set). */
    @State(Scope.Benchmark)
    public static class Small extends LabelledLogits {
        public Small() {
            super(10_000, 1);
        }
    }

    /** 1,000,000 x 10 logits. */
    @State(Scope.Benchmark)
    public static class Large extends LabelledLogits {
        public Large() {
            super(1_000_000, 2);
        }
    }

    /** 1,000,000 scores: 500,000 in-distribution and 500,000 out-of-distribution. */
    @State(Scope.Benchmark)
    public static class Scores {
        double[] in;
        double[] out;

        @Setup
        public void setup() {
            in = BenchData.scores(500_000, 1.0, 3);
            out = BenchData.scores(500_000, 0.0, 4);
        }
    }

    /** Temperature scaling fit on 10k x 10 logits (target 5 ms). */
    @Benchmark
    @TargetMs(5.0)
    public double temperatureFit10k(Small s) {
        return new TemperatureScaling().fit(s.logits, s.labels).temperature();
    }

    /** 15-bin equal-width ECE from 1M x 10 logits (target 60 ms). */
    @Benchmark
    @TargetMs(60.0)
    public double ece15From1MLogits(Large s) {
        return CalibrationMetrics.ece(s.logits, s.labels, 15);
    }

    /** 15-bin equal-mass ECE from 1M x 10 logits (target 200 ms). */
    @Benchmark
    @TargetMs(200.0)
    public double eceEqualMass1M(Large s) {
        return CalibrationMetrics.eceEqualMass(s.logits, s.labels, 15);
    }

    /** 1,000 bootstrap resamples of 15-bin ECE on 10k x 10 logits (target 1 s). */
    @Benchmark
    @TargetMs(1000.0)
    public double bootstrapEce1000x10k(Small s) {
        return new Bootstrap(42).ece(s.logits, s.labels, 15).upper();
    }

    /** AUROC of 1M scores (target 300 ms). */
    @Benchmark
    @TargetMs(300.0)
    public double auroc1M(Scores s) {
        return OodMetrics.auroc(s.in, s.out);
    }
}
