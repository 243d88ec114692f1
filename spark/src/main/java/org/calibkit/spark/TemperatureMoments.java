package org.calibkit.spark;

import java.io.Serializable;

import org.calibkit.calibration.calibrators.NllMoments;
import org.calibkit.calibration.calibrators.TemperatureScaling;

/**
 * Mergeable per-partition sums for temperature scaling (Guo et al. 2017) at one
 * {@code beta = 1/T}: over rows, with {@code d = z - max(z)} and {@code a = z_y - max(z)}, the
 * softmax(beta d) mean, variance and third central moment of d (the NLL's first three
 * derivatives in beta, as in calibration's {@code TemperatureScaling.Objective}), the sum of
 * log-normalisers (the NLL), plus the beta-free sums of {@code a} and of the mean of d and
 * whether every label is a row maximum.
 */
public final class TemperatureMoments implements Serializable, NllMoments {
    private static final long serialVersionUID = 1L;

    private final double beta;
    long n;
    int k;
    double sumA;
    double sumMeanD;
    boolean separable = true;
    double sumMean;
    double sumVar;
    double sumThird;
    double sumLogNormaliser;

    /** Empty sums at this beta. */
    public TemperatureMoments(double beta) {
        this.beta = beta;
    }

    /** Adds one row of K logits with its label. */
    public TemperatureMoments add(double[] z, int label) {
        int k = z.length;
        this.k = Math.max(this.k, k);
        int b = 0;
        double mx = z[0];
        double rowSum = z[0];
        for (int j = 1; j < k; j++) {
            rowSum += z[j];
            if (z[j] > mx) {
                mx = z[j];
                b = j;
            }
        }
        double a = z[label] - mx;
        sumA += a;
        sumMeanD += (rowSum - k * mx) / k;
        separable &= a == 0;
        double[] m = new double[4];
        TemperatureScaling.rowMoments(z, 0, k, b, mx, beta, m);
        sumMean += m[1];
        sumVar += m[2];
        sumThird += m[3];
        sumLogNormaliser += Math.log(m[0]);
        n++;
        return this;
    }

    /** Adds the other sums (same beta) into these; returns this. */
    public TemperatureMoments merge(TemperatureMoments o) {
        if (o.beta != beta) {
            throw new IllegalArgumentException("Cannot merge moments at beta " + beta + " and " + o.beta);
        }
        n += o.n;
        k = Math.max(k, o.k);
        sumA += o.sumA;
        sumMeanD += o.sumMeanD;
        separable &= o.separable;
        sumMean += o.sumMean;
        sumVar += o.sumVar;
        sumThird += o.sumThird;
        sumLogNormaliser += o.sumLogNormaliser;
        return this;
    }

    /** The beta these sums are taken at. */
    public double beta() { return beta; }
    /** Rows added. */
    public long n() { return n; }
    /** Classes per row (0 before the first row). */
    public int k() { return k; }
    /** dNLL/dbeta. */
    @Override
    public double grad() { return (sumMean - sumA) / n; }
    /** d2NLL/dbeta2 (never negative). */
    @Override
    public double hess() { return Math.max(0, sumVar / n); }
    /** d3NLL/dbeta3. */
    @Override
    public double third() { return sumThird / n; }
    /** Mean NLL of softmax(beta z). */
    @Override
    public double nll() { return (sumLogNormaliser - beta * sumA) / n; }
    /** Every label is a maximum of its row. */
    @Override
    public boolean separable() { return separable; }
    /** The limit of dNLL/dbeta as beta tends to 0. */
    @Override
    public double gradientAtZero() { return (sumMeanD - sumA) / n; }
}
