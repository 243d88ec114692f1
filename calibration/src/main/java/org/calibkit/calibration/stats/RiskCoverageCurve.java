package org.calibkit.calibration.stats;

/**
 * The risk–coverage curve of a confidence score (see {@link Selective#riskCoverage}): one point
 * per distinct score, from the highest. Point m accepts every row whose score is at least
 * {@code threshold(m)}. Immutable (accessors return copies).
 */
public final class RiskCoverageCurve {
    private final double[] thresholds;
    private final long[] accepted;
    private final long[] errors;
    private final int n;

    RiskCoverageCurve(double[] thresholds, long[] accepted, long[] errors, int n) {
        this.thresholds = thresholds;
        this.accepted = accepted;
        this.errors = errors;
        this.n = n;
    }

    /** Number of points (distinct scores). */
    public int size() { return thresholds.length; }
    /** Number of rows. */
    public int n() { return n; }
    /** Score threshold of point m (accept score &gt;= threshold). */
    public double threshold(int m) { return thresholds[m]; }
    /** Rows accepted at point m. */
    public long accepted(int m) { return accepted[m]; }
    /** Wrong predictions among the accepted rows at point m. */
    public long errors(int m) { return errors[m]; }
    /** Coverage at point m: accepted / n. */
    public double coverage(int m) { return (double) accepted[m] / n; }
    /** Selective risk at point m: errors / accepted. */
    public double risk(int m) { return (double) errors[m] / accepted[m]; }
    /** Thresholds, decreasing (a copy). */
    public double[] thresholds() { return thresholds.clone(); }

    /** Coverages, increasing (a new array). */
    public double[] coverages() {
        double[] c = new double[thresholds.length];
        for (int m = 0; m < c.length; m++) {
            c[m] = coverage(m);
        }
        return c;
    }

    /** Risks (a new array). */
    public double[] risks() {
        double[] r = new double[thresholds.length];
        for (int m = 0; m < r.length; m++) {
            r[m] = risk(m);
        }
        return r;
    }
}
