package org.calibkit.report.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditResult.TestSection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit JSON's {@code test} object (docs/report.md, "test"). The paired differences, the
 * significance flags and the number of bins are written from the result and recomputed when read.
 */
record TestSectionJson(int n, String method, String calibration,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Double temperature, Map<String, Object> parameters,
                       MetricsJson uncalibrated, MetricsJson calibrated, Map<String, DifferenceJson> difference,
                       Map<String, Boolean> significant, double ciLevel, Integer ciResamples, ReliabilityJson reliability,
                       List<AuditResult.ClassRow> perClass, AuditResult.SigmoidStats sigmoid, double[] confidenceHistogram) {

    /** {@code {"lower":..,"upper":..}}. */
    record IntervalJson(double lower, double upper) {
    }

    /** The calibrated minus the uncalibrated value, with its paired interval. */
    record DifferenceJson(double estimate, double lower, double upper) {
    }

    /** The reliability bins before and after calibration. */
    record ReliabilityJson(int bins, List<BinJson> uncalibrated, List<BinJson> calibrated) {
    }

    /** One reliability bin; {@code confidence_sum} makes the mean confidence exact when read back. */
    record BinJson(double lower, double upper, long count, double meanConfidence, double accuracy, double confidenceSum) {
    }

    /** {@code n}, every metric by key, then {@code ci}: one metric's interval per key (null when none). */
    record MetricsJson(MetricSummary summary, Map<String, IntervalJson> ci) {
        @JsonValue
        Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("n", summary.n());
            o.putAll(summary.values());
            o.put("ci", ci);
            return o;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static MetricsJson read(Map<String, JsonNode> o) {
            JsonNode n = o.get("n");
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new IllegalArgumentException("n: " + (n == null ? "missing" : "expected an integer"));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String key : Metrics.keys()) {
                JsonNode v = o.get(key);
                if (v == null) {
                    throw new IllegalArgumentException(key + ": missing");
                }
                if (!v.isNumber() && !v.isNull()) {
                    throw new IllegalArgumentException(key + ": expected a number or null");
                }
                values.put(key, v.isNull() ? Double.NaN : v.doubleValue());
            }
            JsonNode ci = o.get("ci");
            if (ci == null || !ci.isObject()) {
                throw new IllegalArgumentException("ci: " + (ci == null ? "missing" : "expected an object"));
            }
            Map<String, IntervalJson> intervals = new LinkedHashMap<>();
            for (String key : Metrics.keys()) {
                JsonNode iv = ci.get(key);
                if (iv != null && !iv.isNull()) {
                    intervals.put(key, new IntervalJson(number(iv, "ci." + key, "lower"), number(iv, "ci." + key, "upper")));
                }
            }
            return new MetricsJson(new MetricSummary(n.intValue(), values), intervals);
        }

        private static double number(JsonNode o, String where, String key) {
            JsonNode v = o.get(key);
            if (v == null || !(v.isNumber() || v.isNull())) {
                throw new IllegalArgumentException(where + "." + key + ": " + (v == null ? "missing" : "expected a number"));
            }
            return v.isNull() ? Double.NaN : v.doubleValue();
        }

        static MetricsJson of(MetricSummary s, Map<String, Bootstrap.Paired> intervals,
                              Function<Bootstrap.Paired, Bootstrap.Interval> side) {
            Map<String, IntervalJson> ci = new LinkedHashMap<>();
            for (Metric m : Metrics.ALL) {
                Bootstrap.Paired p = intervals.get(m.key());
                Bootstrap.Interval iv = p == null ? null : side.apply(p);
                ci.put(m.key(), iv == null ? null : new IntervalJson(iv.lower(), iv.upper()));
            }
            return new MetricsJson(s, ci);
        }
    }

    static TestSectionJson of(TestSection t) {
        boolean calibrated = t.calibrated() != null;
        Map<String, DifferenceJson> diff = null;
        Map<String, Boolean> sig = null;
        if (calibrated) {
            diff = new LinkedHashMap<>();
            sig = new LinkedHashMap<>();
            for (Metric m : Metrics.ALL) {
                Bootstrap.Paired p = t.intervals().get(m.key());
                diff.put(m.key(), new DifferenceJson(t.calibrated().get(m.key()) - t.uncalibrated().get(m.key()),
                        p == null ? Double.NaN : p.difference().lower(), p == null ? Double.NaN : p.difference().upper()));
                sig.put(m.key(), p == null ? null : p.significant());
            }
        }
        Bootstrap.Paired any = t.intervals().isEmpty() ? null : t.intervals().values().iterator().next();
        return new TestSectionJson(t.n(), t.method(), t.calibration(),
                Double.isFinite(t.temperature()) ? t.temperature() : null, t.parameters(),
                MetricsJson.of(t.uncalibrated(), t.intervals(), Bootstrap.Paired::before),
                calibrated ? MetricsJson.of(t.calibrated(), t.intervals(), Bootstrap.Paired::after) : null,
                diff, sig, any == null ? Double.NaN : any.before().level(), any == null ? null : any.before().resamples(),
                new ReliabilityJson(t.binsBefore().numBins(), bins(t.binsBefore()),
                        t.binsAfter() == null ? null : bins(t.binsAfter())),
                t.perClass(), t.sigmoid(), t.confidenceHistogram());
    }

    private static List<BinJson> bins(ReliabilityBins b) {
        List<BinJson> out = new ArrayList<>();
        for (int i = 0; i < b.numBins(); i++) {
            out.add(new BinJson(b.lower(i), b.upper(i), b.count(i), b.meanConfidence(i), b.accuracy(i), b.confidenceSum(i)));
        }
        return out;
    }

    /**
     * The section as the audit built it. The bootstrap intervals are percentile intervals at
     * {@code ci_level} with {@code ci_resamples} resamples, whose estimates are the metric values;
     * without calibration, {@code after} repeats {@code before} and the difference is 0 (as the audit makes them).
     */
    TestSection toSection() {
        Map<String, Bootstrap.Paired> intervals = new LinkedHashMap<>();
        int resamples = ciResamples == null ? 0 : ciResamples;
        for (Map.Entry<String, IntervalJson> e : uncalibrated.ci().entrySet()) {
            String key = e.getKey();
            Bootstrap.Interval before = interval(uncalibrated.summary().get(key), e.getValue(), resamples);
            Bootstrap.Interval after = before;
            Bootstrap.Interval d = new Bootstrap.Interval(0, 0, 0, ciLevel, resamples);
            if (calibrated != null) {
                IntervalJson a = calibrated.ci().get(key);
                DifferenceJson dj = difference == null ? null : difference.get(key);
                if (a == null || dj == null) {
                    throw new IllegalArgumentException("calibrated.ci." + key + ": missing, but the uncalibrated one is there");
                }
                after = interval(calibrated.summary().get(key), a, resamples);
                d = new Bootstrap.Interval(dj.estimate(), dj.lower(), dj.upper(), ciLevel, resamples);
            }
            intervals.put(key, new Bootstrap.Paired(before, after, d));
        }
        return new TestSection(n, method, calibration, temperature == null ? Double.NaN : temperature, parameters,
                uncalibrated.summary(), calibrated == null ? null : calibrated.summary(), intervals,
                bins(reliability.uncalibrated(), "uncalibrated"),
                reliability.calibrated() == null ? null : bins(reliability.calibrated(), "calibrated"),
                perClass, sigmoid, confidenceHistogram);
    }

    private Bootstrap.Interval interval(double estimate, IntervalJson iv, int resamples) {
        return new Bootstrap.Interval(estimate, iv.lower(), iv.upper(), ciLevel, resamples);
    }

    private static ReliabilityBins bins(List<BinJson> bins, String which) {
        int k = bins.size();
        long[] counts = new long[k];
        long[] correct = new long[k];
        double[] sums = new double[k];
        for (int b = 0; b < k; b++) {
            BinJson j = bins.get(b);
            counts[b] = j.count();
            // accuracy = correct / count exactly as written; the product is within far less than 0.5 of the count
            correct[b] = j.count() == 0 ? 0 : Math.round(j.accuracy() * j.count());
            sums[b] = j.count() == 0 ? 0 : j.confidenceSum();
        }
        try {
            return ReliabilityBins.ofTotals(counts, sums, correct);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reliability." + which + ": " + e.getMessage(), e);
        }
    }
}
