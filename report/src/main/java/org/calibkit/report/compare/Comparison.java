package org.calibkit.report.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.calibration.ood.OodScore;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Format;


/**
 * The audits of several models on the same data, one column per model, in the order given. Plain
 * data like {@link AuditResult}: {@link ComparisonHtml} and {@link ComparisonJson} render it and
 * compute nothing but the choice of the best column.
 *
 * <p>The audits must be comparable: the same test split (data set name, size and checksum), the
 * same class names, the same probes in the same order, the same overconfidence threshold and bins.
 * Heads and calibration methods may differ; each column shows its own.
 *
 * @param audits one audit per model, in column order
 */
public record Comparison(List<AuditResult> audits) {
    /** The test metrics compared, in row order (keys of {@link org.calibkit.calibration.metrics.Metrics#ALL}). */
    public static final List<String> METRICS = List.of("accuracy", "ece", "nll");
    /** The OOD scores compared, in row order. */
    public static final List<String> SCORES = OodScore.keys();

    /**
     * @throws IllegalArgumentException when there is no audit, or the audits were not made on the
     *                                  same data with the same probes (naming the model and what differs)
     */
    public Comparison {
        Objects.requireNonNull(audits, "audits");
        audits = List.copyOf(audits);
        if (audits.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one audit, but got none");
        }
        AuditResult first = audits.get(0);
        for (int i = 1; i < audits.size(); i++) {
            AuditResult r = audits.get(i);
            String who = "model " + (i + 1) + " '" + r.model().name() + "'";
            String ref = "model 1 '" + first.model().name() + "'";
            same(who, ref, "test data set", first.data().dataset(), r.data().dataset());
            same(who, ref, "number of test images", first.data().testCount(), r.data().testCount());
            same(who, ref, "test data checksum", first.data().sha256(), r.data().sha256());
            same(who, ref, "class names", first.model().classNames(), r.model().classNames());
            same(who, ref, "probes", probeNames(first), probeNames(r));
            same(who, ref, "overconfidence threshold", first.settings().threshold(), r.settings().threshold());
            same(who, ref, "bins", first.settings().bins(), r.settings().bins());
        }
    }

    /** The comparison of these audits (see the record's conditions). */
    public static Comparison of(List<AuditResult> audits) {
        return new Comparison(audits);
    }

    private static void same(String who, String ref, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalArgumentException("cannot compare: " + who + " was audited with " + what + " " + actual
                    + " but " + ref + " with " + expected + "; audit every model on the same data with the same probes");
        }
    }

    private static List<String> probeNames(AuditResult r) {
        return r.probes().stream().map(AuditResult.ProbeResult::name).toList();
    }

    /** Number of models (columns). */
    public int size() {
        return audits.size();
    }

    /** The probe names, in row order (the same for every audit). */
    public List<String> probeNames() {
        return probeNames(audits.get(0));
    }

    /** The data every model was audited on. */
    public AuditResult.DataInfo data() {
        return audits.get(0).data();
    }

    /** The settings of the first audit (threshold, bins, probes are those of every audit). */
    public AuditResult.Settings settings() {
        return audits.get(0).settings();
    }

    /**
     * What distinguishes a model, in a few words: its kind, its head and, for an L2-constrained
     * CNN, alpha (read from the bundle's hyper-parameters when the audit carries them), e.g.
     * {@code cnn, softmax head, L2-constrained (alpha 16)}.
     */
    public static String variant(AuditResult.ModelInfo m) {
        List<String> parts = new ArrayList<>();
        if (m.kind() != null && !m.kind().isBlank()) {
            parts.add(m.kind());
        }
        parts.add((m.head() == null ? "unknown" : m.head()) + " head");
        String alpha = l2Alpha(m);
        if (alpha != null) {
            parts.add("L2-constrained (alpha " + alpha + ")");
        }
        return String.join(", ", parts);
    }

    /** The L2 alpha of the model's hyper-parameters ({@code 16}, {@code learned}), or null when it has none. */
    static String l2Alpha(AuditResult.ModelInfo m) {
        Object a = m.hyperparameters().get("l2_alpha");
        if (a == null || "off".equals(a.toString())) {
            return null;
        }
        if (a instanceof Number n) {
            return Format.compact(n.doubleValue());
        }
        return a.toString();
    }
}
