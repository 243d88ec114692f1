package org.calibkit.report.audit;

/**
 * The thresholds the audit's verdicts use; every one is documented in {@code docs/report.md}.
 * A value at or beyond a {@code warn} threshold warns, at or beyond a {@code fail} one fails.
 *
 * @param eceWarn            test ECE (after calibration when fitted) from which it warns (default 0.03)
 * @param eceFail            test ECE from which it fails (default 0.10)
 * @param overconfidentWarn  share of a no-signal, out-of-distribution or preprocessing probe's images
 *                           with confidence &ge; the audit threshold, from which it warns (default 0.10)
 * @param overconfidentFail  the same, from which it fails (default 0.50)
 * @param aurocWarn          AUROC of the best OOD score below which an OOD probe warns (default 0.90)
 * @param aurocFail          AUROC below which it fails (default 0.70)
 * @param shiftEceWarn       ECE on a labelled shift probe from which it warns (default 0.10)
 * @param shiftEceFail       ECE on a labelled shift probe from which it fails (default 0.25)
 */
public record Thresholds(double eceWarn, double eceFail, double overconfidentWarn, double overconfidentFail,
                         double aurocWarn, double aurocFail, double shiftEceWarn, double shiftEceFail) {

    public Thresholds {
        check("eceWarn", eceWarn, eceFail, true);
        check("overconfidentWarn", overconfidentWarn, overconfidentFail, true);
        check("aurocWarn", aurocWarn, aurocFail, false);
        check("shiftEceWarn", shiftEceWarn, shiftEceFail, true);
    }

    private static void check(String name, double warn, double fail, boolean higherIsWorse) {
        if (!(warn >= 0 && warn <= 1) || !(fail >= 0 && fail <= 1)) {
            throw new IllegalArgumentException("Expected " + name + " and its fail threshold in [0, 1], but got "
                    + warn + " and " + fail);
        }
        if (higherIsWorse ? fail < warn : fail > warn) {
            throw new IllegalArgumentException(name + " " + warn + " must come before its fail threshold " + fail);
        }
    }

    /** The documented defaults. */
    public static Thresholds defaults() {
        return new Thresholds(0.03, 0.10, 0.10, 0.50, 0.90, 0.70, 0.10, 0.25);
    }
}
