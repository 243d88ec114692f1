package org.calibkit.cli.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.monitor.MonitorOptions;
import org.calibkit.report.monitor.Reference;

/**
 * The {@code monitor_reference} an audit's JSON twin carries for {@code calibkit monitor
 * --reference}: fitted on the audit's validation outputs, estimating accuracy with the estimator
 * the sweeps found best and flagging unfamiliar inputs by the OOD score that separated the audit's
 * out-of-distribution probes best.
 */
final class MonitorReferences {
    private MonitorReferences() {
    }

    /** The reference for outputs {@code o} audited as {@code r} (whose JSON tree is {@code tree}), or empty. */
    static java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> of(ModelOutputs o, AuditResult r,
                                                                             com.fasterxml.jackson.databind.JsonNode tree,
                                                                             Consumer<String> progress) {
        return fit(o, bestEstimator(r), bestOodScore(tree), progress);
    }

    /** The estimator the audit's sweeps found closest to the truth (lowest mean absolute error), or null without sweeps. */
    private static String bestEstimator(AuditResult r) {
        if (r.shift() == null || r.shift().estimates() == null || r.shift().estimates().summaries().isEmpty()) {
            return null;
        }
        return r.shift().estimates().summaries().get(0).estimator();
    }

    /**
     * The OOD score with the highest mean AUROC over the audit's out-of-distribution probes (after
     * calibration where the probe has it), read from the JSON tree the audit writes; null when no
     * such probe ran (the monitor then uses the calibrated top probability).
     */
    private static String bestOodScore(com.fasterxml.jackson.databind.JsonNode tree) {
        Map<String, double[]> sums = new java.util.LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode p : tree.path("probes")) {
            if (!p.path("kind").asText().equals("out_of_distribution")) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode auroc = p.path("calibrated").path("auroc");
            if (!auroc.isObject()) {
                auroc = p.path("auroc");
            }
            for (String score : Reference.SCORES) {
                if (auroc.path(score).isNumber()) {
                    double[] s = sums.computeIfAbsent(score, x -> new double[2]);
                    s[0] += auroc.get(score).asDouble();
                    s[1]++;
                }
            }
        }
        String best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean > bestMean) {
                best = e.getKey();
                bestMean = mean;
            }
        }
        return best;
    }

    /**
     * What {@code calibkit monitor --reference} reads back: {@link Reference} fitted on the
     * validation outputs with the monitor's defaults, or empty when there is no validation split
     * (or it cannot carry one, said in a progress line).
     */
    private static java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> fit(ModelOutputs o,
                                                                                       String primary,
                                                                                       String oodScore,
                                                                                       Consumer<String> progress) {
        if (o.validation().isEmpty()) {
            return java.util.Optional.empty();
        }
        ModelOutputs.Split v = o.validation().get();
        MonitorOptions defaults = MonitorOptions.defaults();
        try {
            Reference ref = Reference.fit(v.logits(), v.labels(), defaults, primary, oodScore);
            if (oodScore != null) {
                progress.accept("audit: the monitor reference flags unfamiliar inputs by " + ref.describeScore() + " ("
                        + oodScore + ", the best mean AUROC over the out-of-distribution probes)");
            }
            if (primary != null) {
                progress.accept("audit: the monitor reference estimates accuracy with " + ref.estimators().get(0).name()
                        + (ref.estimators().get(0).name().equals(primary) ? ", the sweeps' best"
                        : " (the sweeps' best, " + primary + ", is over another calibration map than the monitor's temperature)"));
            }
            return java.util.Optional.of(ref.toJson(o.classNames(), o.outputKind().id(), defaults.unfamiliarTpr()));
        } catch (IllegalArgumentException e) {
            progress.accept("audit: no monitor reference in the JSON: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
