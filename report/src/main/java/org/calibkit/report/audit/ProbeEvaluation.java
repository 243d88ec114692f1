package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.ood.OodScore;
import org.calibkit.report.probes.ProbeKind;

/**
 * The probes' section: on each probe the model's confidence before and after calibration, the
 * share above the overconfidence threshold, accuracy and ECE on a labelled probe, and how well
 * each OOD score tells the probe from the test split (AUROC, AUPR, FPR at 95% TPR).
 */
final class ProbeEvaluation {
    private final List<String> classes;
    private final Head head;
    private final CalibrationMap map;
    private final Map<String, double[]> testScores;
    private final Map<String, double[]> testScoresCalibrated;
    private final double threshold;
    private final int bins;
    private final List<AuditResult.GalleryItem> gallery = new ArrayList<>();
    private final Map<String, Probabilities> probabilities = new LinkedHashMap<>();

    /**
     * @param map                  the calibration map applied, or null
     * @param testScores           every OOD score of the test rows, uncalibrated
     * @param testScoresCalibrated the same after calibration, or null
     */
    ProbeEvaluation(List<String> classes, Head head, CalibrationMap map, Map<String, double[]> testScores,
                    Map<String, double[]> testScoresCalibrated, double threshold, int bins) {
        this.classes = classes;
        this.head = head;
        this.map = map;
        this.testScores = testScores;
        this.testScoresCalibrated = testScoresCalibrated;
        this.threshold = threshold;
        this.bins = bins;
    }

    /** The gallery items of the probes evaluated so far, in order. */
    List<AuditResult.GalleryItem> gallery() {
        return List.copyOf(gallery);
    }

    /** Each evaluated probe's probabilities as the model gives them (for the conformal set sizes). */
    Map<String, Probabilities> probabilities() {
        return probabilities;
    }

    AuditResult.ProbeResult evaluate(ModelOutputs.Probe probe) {
        if (probe.isSkipped()) {
            return new AuditResult.ProbeResult(probe.name(), Summaries.kindId(probe.kind()), probe.description(),
                    probe.skipReason().get(), 0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, new int[0], new double[0], null, null);
        }
        String name = probe.name();
        Logits z = probe.logits().get();
        int[] y = probe.labels().orElse(null);
        boolean labelled = y != null;
        Probabilities p = head.apply(z);
        probabilities.put(name, p);
        double[] conf = p.maxProbability();
        Probabilities pc = null;
        Logits zc = null;
        if (map != null) {
            zc = map.outputLogits(z).orElse(null);
            pc = zc != null ? zc.softmax() : map.apply(z);
        }
        double[] confC = pc == null ? null : pc.maxProbability();
        int[] predicted = p.argmax();
        int[] hist = new int[classes.size()];
        for (int c : predicted) {
            hist[c]++;
        }
        double acc = Double.NaN;
        double ece = Double.NaN;
        double eceC = Double.NaN;
        if (labelled) {
            acc = CalibrationMetrics.accuracy(p, y);
            ece = CalibrationMetrics.ece(p, y, bins);
            eceC = pc == null ? Double.NaN : CalibrationMetrics.ece(pc, y, bins);
        }
        AuditResult.OodScores ood = null;
        if (!labelled || probe.kind() != ProbeKind.SHIFT) {
            ood = new AuditResult.OodScores(ood(testScores, OodScore.computeAll(OodScore.ALL, z, p)),
                    pc == null ? null : ood(testScoresCalibrated, OodScore.computeAll(OodScore.ALL, zc, pc)));
        }
        double[] shown = confC != null ? confC : conf;
        Probabilities shownP = pc != null ? pc : p;
        for (int i : GallerySelection.mostConfident(shown, predicted, y, GallerySelection.PER_PROBE)) {
            gallery.add(new AuditResult.GalleryItem(name, i, classes.get(Summaries.argmax(shownP, i)), shown[i],
                    labelled ? classes.get(y[i]) : null, GallerySelection.pixels(probe.images(), i)));
        }
        return new AuditResult.ProbeResult(name, Summaries.kindId(probe.kind()), probe.description(), null, z.n(),
                labelled, Summaries.mean(conf), Summaries.share(conf, threshold),
                confC == null ? Double.NaN : Summaries.mean(confC), confC == null ? Double.NaN : Summaries.share(confC, threshold),
                acc, ece, eceC, hist, Summaries.histogram(shown), ood, head == Head.SIGMOID ? Summaries.sigmoid(p) : null);
    }

    private static Map<String, OodMetrics.Result> ood(Map<String, double[]> in, Map<String, double[]> out) {
        Map<String, OodMetrics.Result> m = new LinkedHashMap<>();
        for (String key : OodScore.keys()) {
            if (in.get(key) != null && out.get(key) != null) {
                m.put(key, OodMetrics.evaluate(in.get(key), out.get(key)));
            }
        }
        return m;
    }
}
