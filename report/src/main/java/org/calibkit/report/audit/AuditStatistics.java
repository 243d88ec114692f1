package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.CalibrationTests;
import org.calibkit.calibration.stats.Conformal;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.calibration.stats.PredictionSets;
import org.calibkit.calibration.stats.ProportionInterval;
import org.calibkit.calibration.stats.RiskCoverageCurve;
import org.calibkit.calibration.stats.Selective;

/**
 * Builds {@link AuditResult.Statistics} from predictions by calling the pure functions of
 * {@code org.calibkit.calibration.stats} and nothing else; the audit and {@code calibkit metrics}
 * both use it, so the two report the same numbers for the same inputs.
 *
 * <p>Choices, all documented in docs/report.md:
 * <ul>
 * <li>Tests: top-label Spiegelhalter (two-sided), Hosmer-Lemeshow with {@value #HL_GROUPS}
 *     equal-mass groups and df = groups (held-out data), Kolmogorov-Smirnov and Kuiper on the
 *     cumulative curve; read in words at {@link #SIGNIFICANCE}.</li>
 * <li>Conformal sets are built from the model's <b>own</b> probabilities (not the calibrated
 *     ones): the calibrator was fitted on the same validation rows, and split conformal's
 *     guarantee needs calibration rows nothing else was fitted on. APS and RAPS are randomised
 *     (seeded); RAPS uses k_reg = {@value #RAPS_K_REG}, lambda = {@value #RAPS_LAMBDA}, fixed, not
 *     tuned.</li>
 * <li>Selective prediction: each score with the correctness of the predictions it belongs to
 *     (calibrated msp with the calibrated arg-max); target risks {@link #RISK_TARGETS}.</li>
 * </ul>
 */
public final class AuditStatistics {
    /** Significance level at which tests are read in words. */
    public static final double SIGNIFICANCE = 0.05;
    /** Default miscoverage level of the conformal sets. */
    public static final double DEFAULT_ALPHA = 0.1;
    /** Equal-mass groups of the Hosmer-Lemeshow test. */
    public static final int HL_GROUPS = 10;
    /** RAPS rank from which the penalty applies. */
    public static final int RAPS_K_REG = 1;
    /** RAPS penalty per rank beyond k_reg. */
    public static final double RAPS_LAMBDA = 0.01;
    /** Error rates for "how much must the model abstain". */
    public static final List<Double> RISK_TARGETS = List.of(0.01, 0.005);
    /** Points kept of a risk-coverage curve (one per 0.5% of coverage, plus the ends). */
    static final int CURVE_POINTS = 200;

    private AuditStatistics() {
    }

    /** The four calibration tests of top-label confidences, in report order. */
    public static List<CalibrationTest> tests(Probabilities p, int[] labels) {
        return List.of(CalibrationTests.spiegelhalter(p, labels), CalibrationTests.hosmerLemeshow(p, labels, HL_GROUPS),
                CalibrationTests.kolmogorovSmirnov(p, labels), CalibrationTests.kuiper(p, labels));
    }

    /** Clopper-Pearson and Wilson intervals of every bin at {@code level}. */
    public static AuditResult.BinStats bins(ReliabilityBins bins, double level) {
        return new AuditResult.BinStats(BinIntervals.of(bins, level, ProportionInterval.Method.CLOPPER_PEARSON),
                BinIntervals.of(bins, level, ProportionInterval.Method.WILSON));
    }

    /** The conformal scores of the report: LAC, randomised APS, randomised RAPS, keyed by id. */
    public static Map<String, ConformalScore> conformalScores() {
        Map<String, ConformalScore> m = new LinkedHashMap<>();
        m.put("lac", ConformalScore.lac());
        m.put("aps", ConformalScore.aps(true));
        m.put("raps", ConformalScore.raps(RAPS_K_REG, RAPS_LAMBDA, true));
        return m;
    }

    /** How the report describes the conformal score {@code id} of {@link #conformalScores()}. */
    public static String describeConformal(String id) {
        return switch (id) {
            case "lac" -> "LAC (score 1 - p of the label; Sadinle et al. 2019)";
            case "aps" -> "APS, randomised (Romano et al. 2020)";
            default -> "RAPS, randomised, k_reg " + RAPS_K_REG + ", lambda " + RAPS_LAMBDA + " (Angelopoulos et al. 2021)";
        };
    }

    /**
     * Split conformal sets of every score of {@link #conformalScores()}: fitted on the calibration
     * rows with seed {@code seed}, sets of the test rows with seed {@code seed + 1} and of probe i
     * (in map order) with {@code seed + 2 + i}.
     *
     * @param probes probabilities of each probe that ran, by name, in probe order (may be empty)
     */
    public static List<AuditResult.ConformalResult> conformal(Probabilities calibration, int[] calibrationLabels,
                                                              Probabilities test, int[] testLabels,
                                                              Map<String, Probabilities> probes, double alpha,
                                                              double level, long seed) {
        Objects.requireNonNull(probes, "probes");
        List<AuditResult.ConformalResult> out = new ArrayList<>();
        for (Map.Entry<String, ConformalScore> e : conformalScores().entrySet()) {
            ConformalPredictor cp = Conformal.fit(e.getValue(), calibration, calibrationLabels, alpha, seed);
            ConformalEvaluation ev = ConformalEvaluation.of(cp.predict(test, seed + 1), testLabels, level);
            List<AuditResult.ProbeSets> ps = new ArrayList<>();
            long s = seed + 2;
            for (Map.Entry<String, Probabilities> p : probes.entrySet()) {
                PredictionSets sets = cp.predict(p.getValue(), s++);
                ps.add(new AuditResult.ProbeSets(p.getKey(), sets.n(), sets.meanSize(), sets.sizeHistogram()));
            }
            out.add(new AuditResult.ConformalResult(e.getKey(), describeConformal(e.getKey()), cp, ev, ps));
        }
        return out;
    }

    /**
     * Selective prediction of each score.
     *
     * @param scores  confidence scores by name, higher = more confident (null entries are left out)
     * @param correct whether the prediction each score belongs to was right, by the same names
     */
    public static List<AuditResult.SelectiveResult> selective(Map<String, double[]> scores,
                                                              Map<String, boolean[]> correct) {
        List<AuditResult.SelectiveResult> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            double[] s = e.getValue();
            if (s == null) {
                continue;
            }
            boolean[] c = Objects.requireNonNull(correct.get(e.getKey()), "correctness of " + e.getKey());
            out.add(selective(e.getKey(), s, c));
        }
        return out;
    }

    /** Selective prediction of one score. */
    public static AuditResult.SelectiveResult selective(String name, double[] score, boolean[] correct) {
        RiskCoverageCurve curve = Selective.riskCoverage(score, correct);
        int[] keep = thin(curve);
        double[] cov = new double[keep.length];
        double[] risk = new double[keep.length];
        double[] thr = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            cov[i] = curve.coverage(keep[i]);
            risk[i] = curve.risk(keep[i]);
            thr[i] = curve.threshold(keep[i]);
        }
        List<AuditResult.RiskTarget> targets = new ArrayList<>();
        for (double r : RISK_TARGETS) {
            targets.add(new AuditResult.RiskTarget(r, Selective.coverageAtRisk(score, correct, r)));
        }
        double aurc = score.length < 2 ? Double.NaN : Selective.aurc(score, correct);
        double eaurc = score.length < 2 ? Double.NaN : Selective.eaurc(score, correct);
        return new AuditResult.SelectiveResult(name, aurc, eaurc, cov, risk, thr, targets);
    }

    /** Indices of the curve's points to keep: the first point reaching each 1/{@value #CURVE_POINTS} of coverage, and the ends. */
    static int[] thin(RiskCoverageCurve curve) {
        int m = curve.size();
        List<Integer> keep = new ArrayList<>();
        int next = 1;
        for (int i = 0; i < m; i++) {
            double c = curve.coverage(i);
            boolean last = i == m - 1;
            if (i == 0 || last || c * CURVE_POINTS >= next) {
                keep.add(i);
                next = (int) Math.floor(c * CURVE_POINTS) + 1;
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The whole section.
     *
     * @param before          the test split's probabilities as the model is
     * @param binsBefore      its reliability bins
     * @param after           after calibration, or null
     * @param binsAfter       its reliability bins, or null
     * @param calibration     the rows conformal sets are fitted on (validation split, model as is), or null for none
     * @param conformalTest   the test split's probabilities of the same kind as {@code calibration}
     * @param probes          probe probabilities of the same kind, by name
     * @param scores          confidence scores for selective prediction, by name
     * @param correct         correctness per score name
     */
    public static AuditResult.Statistics of(Probabilities before, ReliabilityBins binsBefore, Probabilities after,
                                            ReliabilityBins binsAfter, int[] labels, Probabilities calibration,
                                            int[] calibrationLabels, Probabilities conformalTest,
                                            Map<String, Probabilities> probes, Map<String, double[]> scores,
                                            Map<String, boolean[]> correct, double alpha, double level, long seed) {
        List<AuditResult.ConformalResult> conformal = calibration == null ? List.of()
                : conformal(calibration, calibrationLabels, conformalTest, labels, probes, alpha, level, seed);
        return new AuditResult.Statistics(alpha, SIGNIFICANCE, level, tests(before, labels),
                after == null ? null : tests(after, labels), bins(binsBefore, level),
                binsAfter == null ? null : bins(binsAfter, level), conformal, selective(scores, correct));
    }
}
