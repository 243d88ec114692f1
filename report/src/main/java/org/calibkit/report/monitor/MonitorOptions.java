package org.calibkit.report.monitor;

/**
 * The settings of a monitor run: immutable, {@link #defaults()} and {@code withX}.
 *
 * @param window        rows per window (the last window may be shorter)
 * @param bins          equal-width bins of the windows' realised ECE
 * @param minBand       the smallest accuracy drop that alerts, however many rows a window has
 * @param sigmas        how many binomial standard errors of a window's estimate its band spans
 * @param classMixP     the chance, over the whole run, of a class-mix alert on a log drawn like
 *                      the reference: each of W windows alerts when its chi-square p-value is
 *                      below classMixP / W (Bonferroni)
 * @param unfamiliarTpr the share of reference inputs the unfamiliarity threshold keeps (0.95: the
 *                      threshold on the top probability that 95% of validation inputs pass)
 */
public record MonitorOptions(int window, int bins, double minBand, double sigmas, double classMixP, double unfamiliarTpr) {
    /** @throws IllegalArgumentException naming the setting and its value */
    public MonitorOptions {
        if (window < 20) {
            throw new IllegalArgumentException("Expected a window of at least 20 rows, but got " + window);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Expected bins to be at least 1, but got " + bins);
        }
        if (!(minBand >= 0 && minBand < 1)) {
            throw new IllegalArgumentException("Expected the minimum band in [0, 1), but got " + minBand);
        }
        if (!(sigmas > 0)) {
            throw new IllegalArgumentException("Expected sigmas > 0, but got " + sigmas);
        }
        if (!(classMixP > 0 && classMixP < 1)) {
            throw new IllegalArgumentException("Expected the class-mix p-value in (0, 1), but got " + classMixP);
        }
        if (!(unfamiliarTpr > 0 && unfamiliarTpr < 1)) {
            throw new IllegalArgumentException("Expected the unfamiliarity TPR in (0, 1), but got " + unfamiliarTpr);
        }
    }

    /** Windows of 500 rows, 15 bins, band at least 0.03 or 3 standard errors, class mix at p < 0.01 per run, 95% TPR. */
    public static MonitorOptions defaults() {
        return new MonitorOptions(500, 15, 0.03, 3, 1e-2, 0.95);
    }

    /** Rows per window. */
    public MonitorOptions withWindow(int w) {
        return new MonitorOptions(w, bins, minBand, sigmas, classMixP, unfamiliarTpr);
    }

    /** The smallest accuracy drop that alerts. */
    public MonitorOptions withMinBand(double b) {
        return new MonitorOptions(window, bins, b, sigmas, classMixP, unfamiliarTpr);
    }
}
