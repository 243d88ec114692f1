package org.calibkit.calibration.stats;

/**
 * A non-conformity score for split conformal classification (see {@link Conformal}); larger
 * means "this label fits the prediction worse". Classes are ranked by probability, highest
 * first, ties broken by the lower class index; {@code rho(y)} is the sum of the probabilities
 * ranked strictly above y and {@code o(y)} the 1-based rank of y.
 *
 * @param kind       LAC, APS or RAPS
 * @param kReg       RAPS: ranks up to kReg are not penalised (0 for the others)
 * @param lambda     RAPS: penalty per rank beyond kReg (0 for the others)
 * @param randomized APS/RAPS: add {@code u p_y} with u uniform in [0, 1) instead of {@code p_y}
 */
public record ConformalScore(Kind kind, int kReg, double lambda, boolean randomized) {

    /** The score families. */
    public enum Kind {
        /** Least ambiguous set-valued classifier (Sadinle, Lei and Wasserman 2019): {@code 1 - p_y}. */
        LAC,
        /** Adaptive prediction sets (Romano, Sesia and Candès 2020): {@code rho(y) + u p_y}. */
        APS,
        /**
         * Regularised APS (Angelopoulos, Bates, Malik and Jordan 2021):
         * {@code rho(y) + u p_y + lambda max(0, o(y) - kReg)}.
         */
        RAPS
    }

    public ConformalScore {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kReg < 0) {
            throw new IllegalArgumentException("Expected kReg >= 0, but got " + kReg);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Expected lambda to be finite and >= 0, but got " + lambda);
        }
        if (kind != Kind.RAPS && (kReg != 0 || lambda != 0)) {
            throw new IllegalArgumentException("kReg and lambda apply to RAPS only, but got kReg " + kReg
                    + " and lambda " + lambda + " for " + kind);
        }
        if (kind == Kind.LAC && randomized) {
            throw new IllegalArgumentException("LAC is not randomised");
        }
    }

    /** LAC, {@code 1 - p_y}. */
    public static ConformalScore lac() {
        return new ConformalScore(Kind.LAC, 0, 0, false);
    }

    /** APS, randomised or not ({@code u = 1}). */
    public static ConformalScore aps(boolean randomized) {
        return new ConformalScore(Kind.APS, 0, 0, randomized);
    }

    /** RAPS with its regularisation (Angelopoulos et al. use e.g. kReg 5, lambda 0.01 on ImageNet). */
    public static ConformalScore raps(int kReg, double lambda, boolean randomized) {
        return new ConformalScore(Kind.RAPS, kReg, lambda, randomized);
    }
}
