package org.calibkit.report.json;

import java.util.List;
import java.util.Optional;

import org.calibkit.calibration.shift.Estimate;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.report.shift.ShiftSection;
import org.calibkit.report.shift.SweepResult;

/**
 * The audit JSON's {@code shift} object (docs/report.md, "shift"), written only when sweeps were
 * asked for. The example images are not part of the JSON: a section read back has none.
 */
record ShiftSectionJson(String calibration, int bins, long seed, List<PointJson> points, EceJson eceEstimate,
                        EstimatesJson estimates) {

    record PointJson(String sweep, String unit, String point, double intensity, int n, SweepResult.Metrics uncalibrated,
                     SweepResult.Metrics calibrated) {
    }

    record EceJson(String sentence, double mae, double worst, String worstSet, List<EceRowJson> rows) {
    }

    record EceRowJson(String set, double estimate, double truth, double absoluteError) {
    }

    /** The accuracy estimates; {@code sentence} follows from the summaries. */
    record EstimatesJson(String sentence, List<EstimatorCheck.Summary> summaries, List<EstimateRowJson> rows) {
    }

    /** One estimate on one set; {@code n} (added in schema 1) is the estimate's number of rows. */
    record EstimateRowJson(String set, String estimator, double estimate, double lower, double upper, double truth,
                           double absoluteError, long n) {
    }

    static ShiftSectionJson of(ShiftSection s) {
        SweepResult r = s.sweeps();
        List<PointJson> points = r.points().stream().map(p -> new PointJson(p.sweep(), p.unit(), p.point(), p.intensity(),
                p.n(), p.before(), p.after())).toList();
        EceJson ece = s.ece() == null ? null : new EceJson(s.ece().sentence(), s.ece().mae(), s.ece().worst(),
                s.ece().worstSet(), s.ece().rows().stream().map(row -> new EceRowJson(row.set(), row.estimate(), row.truth(),
                        row.absoluteError())).toList());
        EstimatesJson est = s.estimates() == null ? null : new EstimatesJson(s.estimates().sentence(),
                s.estimates().summaries(), s.estimates().rows().stream().map(row -> new EstimateRowJson(row.set(),
                        row.estimator(), row.estimate().accuracy(), row.estimate().lower(), row.estimate().upper(),
                        row.truth(), row.absoluteError(), row.estimate().n())).toList());
        return new ShiftSectionJson(r.calibration(), r.bins(), r.seed(), points, ece, est);
    }

    ShiftSection toSection() {
        SweepResult sweeps = new SweepResult(calibration, bins, seed, points.stream().map(p -> new SweepResult.PointResult(
                p.sweep(), p.unit(), p.point(), p.intensity(), p.n(), p.uncalibrated(), p.calibrated())).toList());
        EstimatorCheck.Result est = estimates == null ? null : new EstimatorCheck.Result(estimates.rows().stream()
                .map(r -> new EstimatorCheck.Row(r.set(), r.estimator(),
                        new Estimate(r.estimator(), r.n(), r.estimate(), r.lower(), r.upper()), r.truth())).toList(),
                estimates.summaries());
        ShiftSection.EceCheck ece = eceEstimate == null ? null : new ShiftSection.EceCheck(eceEstimate.rows().stream()
                .map(r -> new ShiftSection.EceCheck.Row(r.set(), r.estimate(), r.truth())).toList(), eceEstimate.mae(),
                eceEstimate.worst(), eceEstimate.worstSet(), eceEstimate.sentence());
        return new ShiftSection(sweeps, est, Optional.empty(), ece);
    }
}
