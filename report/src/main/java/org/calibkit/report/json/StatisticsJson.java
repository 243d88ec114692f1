package org.calibkit.report.json;

import java.util.ArrayList;
import java.util.List;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.ConformalPredictor;
import org.calibkit.calibration.stats.ConformalScore;
import org.calibkit.calibration.stats.CumulativeCalibrationTest;
import org.calibkit.calibration.stats.HosmerLemeshowTest;
import org.calibkit.calibration.stats.OperatingPoint;
import org.calibkit.calibration.stats.ProportionInterval;
import org.calibkit.calibration.stats.SpiegelhalterTest;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.report.json.TestSectionJson.IntervalJson;

/**
 * The audit JSON's {@code statistics} object (docs/report.md, "statistics"); {@code calibkit
 * metrics --json} writes the same. What follows from other keys (a test's verdict and sentence,
 * the bins' intervals, a probe's full share, the abstention) is written from the result and
 * recomputed when read.
 */
record StatisticsJson(double alpha, double significance, double level, TestsJson calibrationTests,
                      BinIntervalsJson binIntervals, ConformalJson conformal, List<SelectiveJson> selective) {

    record TestsJson(List<TestJson> uncalibrated, List<TestJson> calibrated) {
    }

    /** One calibration test; {@code df} and {@code groups} are Hosmer-Lemeshow's (null for the others). */
    record TestJson(String test, String name, double statistic, double pValue, int n, Integer df, Integer groups,
                    boolean rejects, String sentence) {
    }

    record BinIntervalsJson(String drawn, List<BinIntervalJson> uncalibrated, List<BinIntervalJson> calibrated) {
    }

    record BinIntervalJson(long count, long correct, IntervalJson clopperPearson, IntervalJson wilson) {
    }

    record ConformalJson(String fittedOn, String probabilities, List<SetsJson> sets) {
    }

    /** One conformal score; {@code test.class_count} (added in schema 1) holds the test rows per label. */
    record SetsJson(String score, String description, double threshold, int rank, int nCalibration, SetsTestJson test,
                    List<SetsProbeJson> probes) {
    }

    record SetsTestJson(int n, double coverage, double coverageLower, double coverageUpper, double meanSize,
                        long[] sizeHistogram, double[] classCoverage, double[] sizeCoverage, long[] classCount) {
    }

    record SetsProbeJson(String name, int count, double meanSize, double fullShare, long[] sizeHistogram) {
    }

    record SelectiveJson(String score, double aurc, double eaurc, List<TargetJson> targets, CurveJson curve) {
    }

    record TargetJson(double targetRisk, double threshold, double coverage, double abstention, double risk,
                      long accepted, long errors) {
    }

    record CurveJson(double[] coverage, double[] risk, double[] threshold) {
    }

    static StatisticsJson of(AuditResult.Statistics s) {
        ConformalJson conformal = s.conformal().isEmpty() ? null
                : new ConformalJson("validation", "uncalibrated", s.conformal().stream().map(StatisticsJson::sets).toList());
        return new StatisticsJson(s.alpha(), s.significance(), s.level(),
                new TestsJson(tests(s.testsUncalibrated(), s.significance()),
                        s.testsCalibrated() == null ? null : tests(s.testsCalibrated(), s.significance())),
                new BinIntervalsJson("clopper_pearson", bins(s.binsUncalibrated()),
                        s.binsCalibrated() == null ? null : bins(s.binsCalibrated())),
                conformal, s.selective().stream().map(StatisticsJson::selective).toList());
    }

    private static List<TestJson> tests(List<CalibrationTest> tests, double significance) {
        List<TestJson> out = new ArrayList<>();
        for (CalibrationTest t : tests) {
            HosmerLemeshowTest h = t instanceof HosmerLemeshowTest hl ? hl : null;
            out.add(new TestJson(testId(t), t.name(), t.statistic(), t.pValue(), t.n(), h == null ? null : h.df(),
                    h == null ? null : h.groups(), t.rejects(significance), t.sentence(significance)));
        }
        return out;
    }

    private static String testId(CalibrationTest t) {
        if (t instanceof SpiegelhalterTest) {
            return "spiegelhalter";
        }
        if (t instanceof HosmerLemeshowTest) {
            return "hosmer_lemeshow";
        }
        return ((CumulativeCalibrationTest) t).kind() == CumulativeCalibrationTest.Kind.KUIPER ? "kuiper"
                : "kolmogorov_smirnov";
    }

    private static List<BinIntervalJson> bins(AuditResult.BinStats b) {
        List<BinIntervalJson> out = new ArrayList<>();
        BinIntervals cp = b.clopperPearson();
        BinIntervals w = b.wilson();
        for (int i = 0; i < cp.numBins(); i++) {
            out.add(new BinIntervalJson(cp.count(i), cp.correctCount(i), new IntervalJson(cp.lower(i), cp.upper(i)),
                    new IntervalJson(w.lower(i), w.upper(i))));
        }
        return out;
    }

    private static SetsJson sets(AuditResult.ConformalResult r) {
        ConformalEvaluation e = r.test();
        return new SetsJson(r.score(), r.description(), r.predictor().threshold(), r.predictor().rank(), r.predictor().n(),
                new SetsTestJson(e.n(), e.coverage(), e.coverageInterval().lower(), e.coverageInterval().upper(),
                        e.meanSize(), e.sizeHistogram(), e.classCoverage(), e.sizeCoverage(), e.classCount()),
                r.probes().stream().map(p -> new SetsProbeJson(p.probe(), p.count(), p.meanSize(), p.fullShare(),
                        p.sizeHistogram())).toList());
    }

    private static SelectiveJson selective(AuditResult.SelectiveResult r) {
        List<TargetJson> targets = r.targets().stream().map(t -> {
            OperatingPoint p = t.point();
            return new TargetJson(t.targetRisk(), p.threshold(), p.coverage(), p.abstention(), p.risk(), p.accepted(),
                    p.errors());
        }).toList();
        return new SelectiveJson(r.score(), r.aurc(), r.eaurc(), targets,
                new CurveJson(r.coverage(), r.risk(), r.threshold()));
    }

    /**
     * The statistics as the audit built them, on a test split of {@code testRows} rows. The tests
     * are those of {@link AuditStatistics#tests} (Spiegelhalter two-sided); the bins' intervals are
     * recomputed from their counts at {@code level}; a conformal score is one of
     * {@link AuditStatistics#conformalScores()}, its threshold NaN where the JSON has null (an
     * infinite threshold); the coverage interval is Clopper-Pearson at {@code level}.
     */
    AuditResult.Statistics toStatistics(int testRows) {
        List<AuditResult.ConformalResult> sets = conformal == null ? List.of()
                : conformal.sets().stream().map(s -> sets(s)).toList();
        List<AuditResult.SelectiveResult> sel = selective.stream().map(s -> new AuditResult.SelectiveResult(s.score(),
                s.aurc(), s.eaurc(), s.curve().coverage(), s.curve().risk(), s.curve().threshold(),
                s.targets().stream().map(t -> new AuditResult.RiskTarget(t.targetRisk(), new OperatingPoint(t.threshold(),
                        t.coverage(), t.risk(), t.accepted(), t.errors(), testRows))).toList())).toList();
        return new AuditResult.Statistics(alpha, significance, level, tests(calibrationTests.uncalibrated()),
                calibrationTests.calibrated() == null ? null : tests(calibrationTests.calibrated()),
                bins(binIntervals.uncalibrated(), "uncalibrated"),
                binIntervals.calibrated() == null ? null : bins(binIntervals.calibrated(), "calibrated"), sets, sel);
    }

    /**
     * The tests as the audit computed them. JSON has no infinity: a statistic written as null is
     * NaN, or an infinity when that is what the written sentence says (a Hosmer-Lemeshow chi-square
     * of a group without spread, for instance).
     */
    private List<CalibrationTest> tests(List<TestJson> tests) {
        List<CalibrationTest> out = new ArrayList<>();
        for (TestJson t : tests) {
            CalibrationTest read = test(t, t.statistic());
            if (Double.isNaN(t.statistic()) && !read.sentence(significance).equals(t.sentence())) {
                for (double inf : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    CalibrationTest c = test(t, inf);
                    if (c.sentence(significance).equals(t.sentence())) {
                        read = c;
                    }
                }
            }
            out.add(read);
        }
        return out;
    }

    private static CalibrationTest test(TestJson t, double statistic) {
        return switch (t.test()) {
            case "spiegelhalter" -> new SpiegelhalterTest(statistic, t.pValue(), SpiegelhalterTest.Alternative.TWO_SIDED,
                    t.n());
            case "hosmer_lemeshow" -> {
                if (t.df() == null || t.groups() == null) {
                    throw new IllegalArgumentException("calibration_tests: hosmer_lemeshow without df and groups");
                }
                yield new HosmerLemeshowTest(statistic, t.df(), t.groups(), t.pValue(), t.n());
            }
            case "kolmogorov_smirnov" -> new CumulativeCalibrationTest(CumulativeCalibrationTest.Kind.KOLMOGOROV_SMIRNOV,
                    statistic, t.pValue(), t.n());
            case "kuiper" -> new CumulativeCalibrationTest(CumulativeCalibrationTest.Kind.KUIPER, statistic, t.pValue(),
                    t.n());
            default -> throw new IllegalArgumentException("calibration_tests: unknown test '" + t.test()
                    + "' (known: spiegelhalter, hosmer_lemeshow, kolmogorov_smirnov, kuiper)");
        };
    }

    private AuditResult.BinStats bins(List<BinIntervalJson> bins, String which) {
        long[] counts = new long[bins.size()];
        long[] correct = new long[bins.size()];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = bins.get(b).count();
            correct[b] = bins.get(b).correct();
        }
        try {
            // the intervals depend on the counts only: the confidence sums are not needed (0 here)
            return AuditStatistics.bins(ReliabilityBins.ofTotals(counts, new double[counts.length], correct), level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bin_intervals." + which + ": " + e.getMessage(), e);
        }
    }

    private AuditResult.ConformalResult sets(SetsJson s) {
        ConformalScore score = AuditStatistics.conformalScores().get(s.score());
        if (score == null) {
            throw new IllegalArgumentException("conformal.sets: unknown score '" + s.score() + "' (known: "
                    + String.join(", ", AuditStatistics.conformalScores().keySet()) + ")");
        }
        SetsTestJson t = s.test();
        ConformalPredictor predictor = new ConformalPredictor(score, alpha, s.threshold(), s.rank(), s.nCalibration(),
                t.sizeHistogram().length - 1);
        long covered = Math.round(t.coverage() * t.n());
        ConformalEvaluation test = new ConformalEvaluation(t.n(), covered, t.coverage(),
                new ProportionInterval(covered, t.n(), level, ProportionInterval.Method.CLOPPER_PEARSON, t.coverageLower(),
                        t.coverageUpper()),
                t.meanSize(), t.sizeHistogram(), t.classCount(), t.classCoverage(), t.sizeCoverage());
        return new AuditResult.ConformalResult(s.score(), s.description(), predictor, test, s.probes().stream()
                .map(p -> new AuditResult.ProbeSets(p.name(), p.count(), p.meanSize(), p.sizeHistogram())).toList());
    }
}
