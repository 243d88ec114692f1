// Over 400 lines: maps every section of AuditResult onto the documented JSON keys by hand (docs/report.md); to be replaced by Jackson mapping with a typed read (issue 13).
package org.calibkit.report.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.stats.BinIntervals;
import org.calibkit.calibration.stats.CalibrationTest;
import org.calibkit.calibration.stats.ConformalEvaluation;
import org.calibkit.calibration.stats.CumulativeCalibrationTest;
import org.calibkit.calibration.stats.HosmerLemeshowTest;
import org.calibkit.calibration.stats.OperatingPoint;
import org.calibkit.calibration.stats.SpiegelhalterTest;
import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.calibration.shift.EstimatorCheck;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.shift.ShiftSection;
import org.calibkit.report.shift.SweepResult;
import org.calibkit.report.audit.AuditResult.ProbeResult;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.TestSection;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.render.Fields;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON twin of the HTML report: the same content as one versioned object, every number
 * that could not be computed as {@code null}, metric keys from the calibration module's one list
 * ({@link Metrics#ALL}), gallery entries without their image bytes. The schema, key by key, is
 * documented in {@code docs/report.md}; {@link #read} refuses a {@code schema_version} it does not
 * know.
 */
public final class AuditJson {
    /** The OOD detection metrics as written per probe, with their values. */
    private static final Map<String, ToDoubleFunction<OodMetrics.Result>> OOD = orderedOod();

    private AuditJson() {
    }

    private static Map<String, ToDoubleFunction<OodMetrics.Result>> orderedOod() {
        Map<String, ToDoubleFunction<OodMetrics.Result>> m = new java.util.LinkedHashMap<>();
        m.put("auroc", OodMetrics.Result::auroc);
        m.put("aupr_in", OodMetrics.Result::auprIn);
        m.put("aupr_out", OodMetrics.Result::auprOut);
        m.put("fpr95", OodMetrics.Result::fpr95);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The result as indented JSON text. */
    public static String toJson(AuditResult r) {
        return Json.writePretty(tree(r));
    }

    /** Writes the JSON to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(AuditResult r, Path file) {
        Objects.requireNonNull(file, "file");
        String text = toJson(r) + "\n";
        AtomicWrite.writeUnchecked(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Reads an audit JSON file written by {@link #write}.
     *
     * @throws IllegalArgumentException when the file is not JSON (naming the line and column), not an
     *                                  object, has no {@code schema_version} or one this version does not read
     * @throws UncheckedIOException     when it cannot be read
     */
    public static JsonNode read(Path file) {
        Objects.requireNonNull(file, "file");
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(file + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("audit JSON " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read audit JSON " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a calibkit audit: expected a JSON object, but got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        JsonNode version = root.get("schema_version");
        if (version == null || version.isNull()) {
            throw new IllegalArgumentException(file + " is not a calibkit audit: it has no schema_version");
        }
        if (!version.isIntegralNumber() || version.asLong() != AuditResult.SCHEMA_VERSION) {
            throw new IllegalArgumentException(file + " has audit schema_version " + version + ", which this calibkit "
                    + "does not read (it reads version " + AuditResult.SCHEMA_VERSION + "); use the calibkit that "
                    + "wrote it, or audit the model again");
        }
        return root;
    }

    /** The result as a JSON tree. */
    public static ObjectNode tree(AuditResult r) {
        Objects.requireNonNull(r, "result");
        ObjectNode root = Json.object();
        root.put("schema_version", r.schemaVersion());
        root.set("model", model(r.model()));
        root.set("data", data(r.data()));
        root.set("settings", settings(r.settings()));
        ObjectNode counts = root.putObject("verdict_counts");
        for (Status s : Status.values()) {
            counts.put(status(s), r.count(s));
        }
        ArrayNode verdicts = root.putArray("verdicts");
        r.verdicts().forEach(v -> verdicts.add(verdict(v)));
        root.set("test", test(r.test()));
        root.set("input_range", inputRange(r.inputRange()));
        ArrayNode probes = root.putArray("probes");
        r.probes().forEach(p -> probes.add(probe(p)));
        ArrayNode gallery = root.putArray("gallery");
        for (AuditResult.GalleryItem g : r.gallery()) {
            ObjectNode o = gallery.addObject();
            o.put("source", g.source());
            o.put("index", g.index());
            o.put("predicted", g.predicted());
            Json.putNumber(o, "confidence", g.confidence());
            o.put("true_label", g.trueLabel());
        }
        root.set("provenance", provenance(r.provenance()));
        root.set("statistics", r.statistics() == null ? null : statistics(r.statistics()));
        if (r.shift() != null) { // written only when sweeps were asked for (docs/report.md, "shift")
            root.set("shift", shift(r.shift()));
        }
        if (r.doctor() != null) { // written only when the doctor's quick check ran (docs/report.md, "doctor")
            root.set("doctor", DoctorSectionJson.of(r.doctor()));
        }
        return root;
    }

    // ---------------------------------------------------------------- shift

    private static ObjectNode shift(ShiftSection s) {
        ObjectNode o = Json.object();
        SweepResult r = s.sweeps();
        o.put("calibration", r.calibration());
        o.put("bins", r.bins());
        o.put("seed", r.seed());
        ArrayNode points = o.putArray("points");
        for (SweepResult.PointResult p : r.points()) {
            ObjectNode po = points.addObject();
            po.put("sweep", p.sweep());
            po.put("unit", p.unit());
            po.put("point", p.point());
            Json.putNumber(po, "intensity", p.intensity());
            po.put("n", p.n());
            po.set("uncalibrated", sweepMetrics(p.before()));
            po.set("calibrated", sweepMetrics(p.after()));
        }
        if (s.ece() == null) {
            o.putNull("ece_estimate");
        } else {
            ObjectNode ec = o.putObject("ece_estimate");
            ec.put("sentence", s.ece().sentence());
            Json.putNumber(ec, "mae", s.ece().mae());
            Json.putNumber(ec, "worst", s.ece().worst());
            ec.put("worst_set", s.ece().worstSet());
            ArrayNode er = ec.putArray("rows");
            for (ShiftSection.EceCheck.Row row : s.ece().rows()) {
                ObjectNode ro = er.addObject();
                ro.put("set", row.set());
                Json.putNumber(ro, "estimate", row.estimate());
                Json.putNumber(ro, "truth", row.truth());
                Json.putNumber(ro, "absolute_error", row.absoluteError());
            }
        }
        if (s.estimates() == null) {
            o.putNull("estimates");
            return o;
        }
        ObjectNode est = o.putObject("estimates");
        est.put("sentence", s.estimates().sentence());
        ArrayNode summaries = est.putArray("summaries");
        for (EstimatorCheck.Summary sum : s.estimates().summaries()) {
            ObjectNode so = summaries.addObject();
            so.put("estimator", sum.estimator());
            so.put("sets", sum.sets());
            Json.putNumber(so, "mae", sum.mae());
            Json.putNumber(so, "worst", sum.worst());
            so.put("worst_set", sum.worstSet());
        }
        ArrayNode rows = est.putArray("rows");
        for (EstimatorCheck.Row row : s.estimates().rows()) {
            ObjectNode ro = rows.addObject();
            ro.put("set", row.set());
            ro.put("estimator", row.estimator());
            Json.putNumber(ro, "estimate", row.estimate().accuracy());
            Json.putNumber(ro, "lower", row.estimate().lower());
            Json.putNumber(ro, "upper", row.estimate().upper());
            Json.putNumber(ro, "truth", row.truth());
            Json.putNumber(ro, "absolute_error", row.absoluteError());
        }
        return o;
    }

    private static ObjectNode sweepMetrics(SweepResult.Metrics m) {
        ObjectNode o = Json.object();
        Json.putNumber(o, "accuracy", m.accuracy());
        Json.putNumber(o, "mean_confidence", m.meanConfidence());
        Json.putNumber(o, "ece", m.ece());
        Json.putNumber(o, "nll", m.nll());
        Json.putNumber(o, "brier", m.brier());
        return o;
    }

    // ---------------------------------------------------------------- statistics

    /**
     * The statistics section ({@code statistics} in docs/report.md); {@code calibkit metrics --json}
     * writes the same object.
     */
    public static ObjectNode statistics(AuditResult.Statistics s) {
        Objects.requireNonNull(s, "statistics");
        ObjectNode o = Json.object();
        Json.putNumber(o, "alpha", s.alpha());
        Json.putNumber(o, "significance", s.significance());
        Json.putNumber(o, "level", s.level());
        ObjectNode tests = o.putObject("calibration_tests");
        tests.set("uncalibrated", tests(s.testsUncalibrated(), s.significance()));
        tests.set("calibrated", s.testsCalibrated() == null ? null : tests(s.testsCalibrated(), s.significance()));
        ObjectNode bins = o.putObject("bin_intervals");
        bins.put("drawn", "clopper_pearson");
        bins.set("uncalibrated", binIntervals(s.binsUncalibrated()));
        bins.set("calibrated", s.binsCalibrated() == null ? null : binIntervals(s.binsCalibrated()));
        if (s.conformal().isEmpty()) {
            o.putNull("conformal");
        } else {
            ObjectNode c = o.putObject("conformal");
            c.put("fitted_on", "validation");
            c.put("probabilities", "uncalibrated");
            ArrayNode sets = c.putArray("sets");
            s.conformal().forEach(r -> sets.add(conformal(r)));
        }
        ArrayNode sel = o.putArray("selective");
        s.selective().forEach(r -> sel.add(selective(r)));
        return o;
    }

    private static ArrayNode tests(java.util.List<CalibrationTest> tests, double significance) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (CalibrationTest t : tests) {
            ObjectNode o = a.addObject();
            o.put("test", testId(t));
            o.put("name", t.name());
            Json.putNumber(o, "statistic", t.statistic());
            Json.putNumber(o, "p_value", t.pValue());
            o.put("n", t.n());
            if (t instanceof HosmerLemeshowTest h) {
                o.put("df", h.df());
                o.put("groups", h.groups());
            } else {
                o.putNull("df");
                o.putNull("groups");
            }
            o.put("rejects", t.rejects(significance));
            o.put("sentence", t.sentence(significance));
        }
        return a;
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

    private static ArrayNode binIntervals(AuditResult.BinStats b) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        BinIntervals cp = b.clopperPearson();
        BinIntervals w = b.wilson();
        for (int i = 0; i < cp.numBins(); i++) {
            ObjectNode o = a.addObject();
            o.put("count", cp.count(i));
            o.put("correct", cp.correctCount(i));
            ObjectNode c = o.putObject("clopper_pearson");
            Json.putNumber(c, "lower", cp.lower(i));
            Json.putNumber(c, "upper", cp.upper(i));
            ObjectNode ww = o.putObject("wilson");
            Json.putNumber(ww, "lower", w.lower(i));
            Json.putNumber(ww, "upper", w.upper(i));
        }
        return a;
    }

    private static ObjectNode conformal(AuditResult.ConformalResult r) {
        ObjectNode o = Json.object();
        o.put("score", r.score());
        o.put("description", r.description());
        Json.putNumber(o, "threshold", r.predictor().threshold());
        o.put("rank", r.predictor().rank());
        o.put("n_calibration", r.predictor().n());
        ConformalEvaluation e = r.test();
        ObjectNode t = o.putObject("test");
        t.put("n", e.n());
        Json.putNumber(t, "coverage", e.coverage());
        Json.putNumber(t, "coverage_lower", e.coverageInterval().lower());
        Json.putNumber(t, "coverage_upper", e.coverageInterval().upper());
        Json.putNumber(t, "mean_size", e.meanSize());
        t.set("size_histogram", longs(e.sizeHistogram()));
        t.set("class_coverage", numbers(e.classCoverage()));
        t.set("size_coverage", numbers(e.sizeCoverage()));
        ArrayNode probes = o.putArray("probes");
        for (AuditResult.ProbeSets p : r.probes()) {
            ObjectNode po = probes.addObject();
            po.put("name", p.probe());
            po.put("count", p.count());
            Json.putNumber(po, "mean_size", p.meanSize());
            Json.putNumber(po, "full_share", p.fullShare());
            po.set("size_histogram", longs(p.sizeHistogram()));
        }
        return o;
    }

    private static ObjectNode selective(AuditResult.SelectiveResult r) {
        ObjectNode o = Json.object();
        o.put("score", r.score());
        Json.putNumber(o, "aurc", r.aurc());
        Json.putNumber(o, "eaurc", r.eaurc());
        ArrayNode targets = o.putArray("targets");
        for (AuditResult.RiskTarget t : r.targets()) {
            OperatingPoint p = t.point();
            ObjectNode to = targets.addObject();
            Json.putNumber(to, "target_risk", t.targetRisk());
            Json.putNumber(to, "threshold", p.threshold());
            Json.putNumber(to, "coverage", p.coverage());
            Json.putNumber(to, "abstention", p.abstention());
            Json.putNumber(to, "risk", p.risk());
            to.put("accepted", p.accepted());
            to.put("errors", p.errors());
        }
        ObjectNode curve = o.putObject("curve");
        curve.set("coverage", numbers(r.coverage()));
        curve.set("risk", numbers(r.risk()));
        curve.set("threshold", numbers(r.threshold()));
        return o;
    }

    private static ArrayNode longs(long[] v) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }

    private static String status(Status s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A model's report info as the JSON twin writes it (also what a model worker sends back). */
    public static ObjectNode model(AuditResult.ModelInfo m) {
        ObjectNode o = Json.object();
        o.put("name", m.name());
        o.put("location", m.location());
        o.put("sha256", m.sha256());
        o.put("kind", m.kind());
        o.put("head", m.head());
        o.put("output_kind", m.outputKind());
        ArrayNode classes = o.putArray("class_names");
        m.classNames().forEach(classes::add);
        o.put("preprocessing", m.preprocessing());
        ObjectNode details = o.putObject("details");
        m.details().forEach(details::put);
        return o;
    }

    private static ObjectNode data(AuditResult.DataInfo d) {
        ObjectNode o = Json.object();
        o.put("dataset", d.dataset());
        o.put("validation_count", d.validationCount());
        o.put("test_count", d.testCount());
        o.put("location", d.location());
        o.put("sha256", d.sha256());
        o.put("verified", d.verified());
        return o;
    }

    private static ObjectNode settings(AuditResult.Settings s) {
        ObjectNode o = Json.object();
        o.put("calibration", s.calibration());
        Json.putNumber(o, "threshold", s.threshold());
        o.put("bins", s.bins());
        o.put("probe_size", s.probeSize());
        o.put("seed", s.seed());
        o.put("resamples", s.resamples());
        Json.putNumber(o, "level", s.level());
        ArrayNode probes = o.putArray("probes");
        s.probes().forEach(probes::add);
        if (s.thresholds() == null) {
            o.putNull("thresholds");
        } else {
            ObjectNode t = o.putObject("thresholds");
            Fields.thresholds(s.thresholds()).forEach((k, v) -> Json.putNumber(t, k, v));
        }
        return o;
    }

    private static ObjectNode verdict(Verdict v) {
        ObjectNode o = Json.object();
        o.put("check", v.check());
        o.put("title", v.title());
        o.put("status", status(v.status()));
        Json.putNumber(o, "value", v.value());
        Json.putNumber(o, "warn_at", v.warnAt());
        Json.putNumber(o, "fail_at", v.failAt());
        Json.putNumber(o, "lower", v.lower());
        Json.putNumber(o, "upper", v.upper());
        o.put("reason", v.reason());
        return o;
    }

    private static ObjectNode test(TestSection t) {
        ObjectNode o = Json.object();
        boolean calibrated = t.calibrated() != null;
        o.put("n", t.n());
        o.put("method", t.method());
        o.put("calibration", t.calibration());
        if (Double.isFinite(t.temperature())) {
            o.put("temperature", t.temperature());
        }
        o.set("parameters", Json.tree(t.parameters()));
        o.set("uncalibrated", metrics(t.uncalibrated(), t.intervals(), Bootstrap.Paired::before));
        if (calibrated) {
            o.set("calibrated", metrics(t.calibrated(), t.intervals(), Bootstrap.Paired::after));
            ObjectNode diff = o.putObject("difference");
            ObjectNode sig = o.putObject("significant");
            for (Metric m : Metrics.ALL) {
                ObjectNode d = diff.putObject(m.key());
                Json.putNumber(d, "estimate", t.calibrated().get(m.key()) - t.uncalibrated().get(m.key()));
                Bootstrap.Paired p = t.intervals().get(m.key());
                Json.putNumber(d, "lower", p == null ? Double.NaN : p.difference().lower());
                Json.putNumber(d, "upper", p == null ? Double.NaN : p.difference().upper());
                if (p == null) {
                    sig.putNull(m.key());
                } else {
                    sig.put(m.key(), p.significant());
                }
            }
        } else {
            o.putNull("calibrated");
            o.putNull("difference");
            o.putNull("significant");
        }
        Bootstrap.Paired any = t.intervals().isEmpty() ? null : t.intervals().values().iterator().next();
        if (any == null) {
            o.putNull("ci_level");
            o.putNull("ci_resamples");
        } else {
            Json.putNumber(o, "ci_level", any.before().level());
            o.put("ci_resamples", any.before().resamples());
        }
        ObjectNode rel = o.putObject("reliability");
        rel.put("bins", t.binsBefore().numBins());
        rel.set("uncalibrated", bins(t.binsBefore()));
        rel.set("calibrated", t.binsAfter() == null ? null : bins(t.binsAfter()));
        ArrayNode classes = o.putArray("per_class");
        for (AuditResult.ClassRow c : t.perClass()) {
            ObjectNode row = classes.addObject();
            row.put("name", c.name());
            row.put("support", c.support());
            Json.putNumber(row, "mean_probability", c.meanProbability());
            Json.putNumber(row, "frequency", c.frequency());
            Json.putNumber(row, "ece", c.ece());
            Json.putNumber(row, "ece_calibrated", c.eceCalibrated());
            Json.putNumber(row, "recall", c.recall());
        }
        o.set("sigmoid", sigmoid(t.sigmoid()));
        o.set("confidence_histogram", numbers(t.confidenceHistogram()));
        return o;
    }

    private static ObjectNode metrics(MetricSummary s, Map<String, Bootstrap.Paired> intervals,
                                      java.util.function.Function<Bootstrap.Paired, Bootstrap.Interval> side) {
        ObjectNode o = Json.object();
        Json.putMetrics(o, s);
        ObjectNode ci = o.putObject("ci");
        for (Metric m : Metrics.ALL) {
            Bootstrap.Paired p = intervals.get(m.key());
            if (p == null) {
                ci.putNull(m.key());
            } else {
                ci.set(m.key(), Json.interval(side.apply(p)));
            }
        }
        return o;
    }

    private static ArrayNode bins(ReliabilityBins b) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = 0; i < b.numBins(); i++) {
            ObjectNode o = a.addObject();
            Json.putNumber(o, "lower", b.lower(i));
            Json.putNumber(o, "upper", b.upper(i));
            o.put("count", b.count(i));
            Json.putNumber(o, "mean_confidence", b.meanConfidence(i));
            Json.putNumber(o, "accuracy", b.accuracy(i));
        }
        return a;
    }

    private static JsonNode sigmoid(AuditResult.SigmoidStats s) {
        if (s == null) {
            return null;
        }
        ObjectNode o = Json.object();
        Json.putNumber(o, "row_sum_mean", s.rowSumMean());
        o.set("row_sum_quantiles", numbers(s.rowSumQuantiles()));
        Json.putNumber(o, "none_share", s.noneShare());
        return o;
    }

    private static JsonNode numbers(double[] v) {
        if (v == null) {
            return null;
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    private static JsonNode inputRange(AuditResult.InputRange in) {
        if (in == null) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("ok", in.ok());
        Json.putNumber(o, "min", in.min());
        Json.putNumber(o, "max", in.max());
        Json.putNumber(o, "mean", in.mean());
        Json.putNumber(o, "expected_min", in.expectedMin());
        Json.putNumber(o, "expected_max", in.expectedMax());
        o.put("message", in.message());
        o.put("fix", in.fix());
        return o;
    }

    private static ObjectNode probe(ProbeResult p) {
        ObjectNode o = Json.object();
        o.put("name", p.name());
        o.put("kind", p.kind());
        o.put("description", p.description());
        o.put("skip_reason", p.skipReason());
        o.put("count", p.count());
        o.put("labelled", p.labelled());
        Json.putNumber(o, "mean_confidence", p.meanConfidence());
        Json.putNumber(o, "overconfident_share", p.overconfidentShare());
        Json.putNumber(o, "accuracy", p.accuracy());
        Json.putNumber(o, "ece", p.ece());
        if (p.predictedHistogram() == null) {
            o.putNull("predicted_histogram");
        } else {
            ArrayNode h = o.putArray("predicted_histogram");
            for (int c : p.predictedHistogram()) {
                h.add(c);
            }
        }
        o.set("confidence_histogram", numbers(p.confidenceHistogram()));
        putOod(o, p.ood() == null ? null : p.ood().uncalibrated());
        o.set("sigmoid", sigmoid(p.sigmoid()));
        boolean hasCalibrated = Double.isFinite(p.meanConfidenceCalibrated())
                || (p.ood() != null && p.ood().calibrated() != null);
        if (hasCalibrated) {
            ObjectNode c = o.putObject("calibrated");
            Json.putNumber(c, "mean_confidence", p.meanConfidenceCalibrated());
            Json.putNumber(c, "overconfident_share", p.overconfidentShareCalibrated());
            Json.putNumber(c, "ece", p.eceCalibrated());
            putOod(c, p.ood() == null ? null : p.ood().calibrated());
        } else {
            o.putNull("calibrated");
        }
        return o;
    }

    /** {@code auroc}, {@code aupr_in}, {@code aupr_out}, {@code fpr95}, each keyed by score name (null when absent). */
    private static void putOod(ObjectNode o, Map<String, OodMetrics.Result> byScore) {
        for (Map.Entry<String, ToDoubleFunction<OodMetrics.Result>> metric : OOD.entrySet()) {
            if (byScore == null) {
                o.putNull(metric.getKey());
                continue;
            }
            ObjectNode m = o.putObject(metric.getKey());
            byScore.forEach((score, result) -> Json.putNumber(m, score, metric.getValue().applyAsDouble(result)));
        }
    }

    private static ObjectNode provenance(AuditResult.Provenance p) {
        ObjectNode o = Json.object();
        o.put("calibkit_version", p.calibkitVersion());
        o.put("created_at", p.createdAt());
        o.put("run_id", p.runId());
        o.put("java_version", p.javaVersion());
        Json.putNumber(o, "seconds", p.seconds());
        ObjectNode t = o.putObject("timings");
        p.timings().forEach((k, v) -> Json.putNumber(t, k, v == null ? Double.NaN : v));
        return o;
    }
}
