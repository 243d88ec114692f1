package org.calibkit.report.render;

import java.util.Locale;

import org.calibkit.report.audit.AuditResult;

/**
 * How numbers read in the HTML report and the terminal summary, so the two never disagree:
 * metrics with four decimals, shares as percentages, a dash for a value that could not be
 * computed (NaN).
 */
public final class Format {
    /** What a missing value (NaN) reads as. */
    public static final String MISSING = "\u2014";

    private Format() {
    }

    /** A metric or probability with four decimals ({@code 0.0123}), {@link #MISSING} when not finite. */
    public static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", Math.abs(v) < 5e-5 ? 0.0 : v) : MISSING;
    }

    /**
     * A parameter value as short as it reads: an integer without decimals ({@code 16}), anything
     * else with four significant digits ({@code 0.5000}, {@code 1.320}).
     */
    public static String compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A signed difference with four decimals ({@code +0.0012}, {@code -0.0030}). */
    public static String signed(double v) {
        // a value that rounds to zero reads +0.0000, never -0.0000
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.4f", Math.abs(v) < 5e-5 ? 0.0 : v) : MISSING;
    }

    /** A share in [0, 1] as a percentage with one decimal ({@code 19.4%}). */
    public static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : MISSING;
    }

    /** An interval {@code [lower, upper]} with four decimals, empty when either end is NaN. */
    public static String interval(double lower, double upper) {
        if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
            return "";
        }
        return "[" + num(lower) + ", " + num(upper) + "]";
    }

    /**
     * The class predicted most often and its share, e.g. {@code 4 (97.0%)}; {@code missing} when
     * there is no histogram or it is empty.
     */
    public static String topPredicted(int[] histogram, java.util.List<String> classes, String missing) {
        if (histogram == null || histogram.length == 0) {
            return missing;
        }
        int top = 0;
        long total = 0;
        for (int j = 0; j < histogram.length; j++) {
            total += histogram[j];
            if (histogram[j] > histogram[top]) {
                top = j;
            }
        }
        if (total == 0) {
            return missing;
        }
        String name = top < classes.size() ? classes.get(top) : Integer.toString(top);
        return name + " (" + pct((double) histogram[top] / total) + ")";
    }

    /** Seconds with two decimals ({@code 1.25 s}). */
    public static String seconds(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f s", v) : MISSING;
    }

    /** An integer with thousands separators ({@code 10,000}). */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The status as written in reports: {@code PASS}, {@code INFO}, {@code WARN}, {@code FAIL}. */
    public static String status(AuditResult.Status s) {
        return s.name();
    }

    /** A threshold as short as it is exact, with at least two decimals ({@code 0.10}, {@code 0.03}, {@code 0.125}). */
    public static String threshold(double v) {
        if (!Double.isFinite(v)) {
            return MISSING;
        }
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
        return (d.scale() < 2 ? d.setScale(2) : d).toPlainString();
    }

    /**
     * The thresholds of a verdict: "warn \u2265 0.03, fail \u2265 0.10" when higher is worse (a value
     * at a threshold trips it), "warn &lt; 0.90, fail &lt; 0.70" when lower is worse (the fail
     * threshold lies below the warn one), empty when the check has none.
     */
    public static String thresholds(double warnAt, double failAt) {
        boolean w = Double.isFinite(warnAt);
        boolean f = Double.isFinite(failAt);
        if (!w && !f) {
            return "";
        }
        String op = w && f && failAt < warnAt ? "< " : "\u2265 ";
        StringBuilder b = new StringBuilder();
        if (w) {
            b.append("warn ").append(op).append(threshold(warnAt));
        }
        if (f) {
            if (w) {
                b.append(", ");
            }
            b.append("fail ").append(op).append(threshold(failAt));
        }
        return b.toString();
    }

    /** Text on one line: line breaks and tabs become spaces. */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
