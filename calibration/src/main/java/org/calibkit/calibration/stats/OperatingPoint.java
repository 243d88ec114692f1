package org.calibkit.calibration.stats;

/**
 * A selective classifier "predict when the score is at least threshold, abstain otherwise" and
 * what it did on the evaluated rows (see {@link Selective}).
 *
 * @param threshold accept rows whose score is &gt;= threshold; +infinity accepts none
 * @param coverage  fraction of rows accepted
 * @param risk      error rate among the accepted rows (NaN when none is accepted)
 * @param accepted  number of rows accepted
 * @param errors    wrong predictions among them
 * @param n         number of rows evaluated
 */
public record OperatingPoint(double threshold, double coverage, double risk, long accepted, long errors, int n) {

    /** Fraction of rows the model abstains on, {@code 1 - coverage}. */
    public double abstention() {
        return 1 - coverage;
    }
}
