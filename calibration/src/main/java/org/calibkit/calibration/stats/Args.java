package org.calibkit.calibration.stats;

import org.calibkit.calibration.Checks;

/** Argument checks shared by this package; every message names the argument, the value and the row. */
final class Args {
    private Args() {
    }

    /** @throws IllegalArgumentException unless level is in (0, 1) */
    static void level(String name, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Expected " + name + " in (0, 1), but got " + level);
        }
    }

    /** Probabilities in [0, 1] and outcomes of the same, non-zero length. */
    static void probabilities(double[] p, boolean[] outcome, String pName, String outcomeName) {
        Checks.nonEmptySameLength(pName, p, outcomeName, outcome);
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("Expected " + pName + " in [0, 1], but got " + p[i] + " at row " + i);
            }
        }
    }

    /** Scores that are not NaN (infinities allowed) and flags of the same, non-zero length. */
    static void scores(double[] s, boolean[] flag, String sName, String flagName) {
        Checks.nonEmptySameLength(sName, s, flagName, flag);
        for (int i = 0; i < s.length; i++) {
            if (Double.isNaN(s[i])) {
                throw new IllegalArgumentException("Expected " + sName + " without NaN, but got NaN at row " + i);
            }
        }
    }

    /** Formats a significance level as a percentage: 0.05 -> "5%", 0.001 -> "0.1%". */
    static String percent(double alpha) {
        double pc = alpha * 100;
        String s = String.format(java.util.Locale.ROOT, "%.4f", pc);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}
