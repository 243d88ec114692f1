package org.calibkit.calibration.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;

/**
 * Per-class reliability diagrams drawn as small multiples: for class j, the predicted probability
 * {@code p_ij} of every row against whether the row's label is j (the one-vs-rest view behind
 * classwise ECE; Kull et al. 2019, "Beyond temperature scaling", sec. 3). Each panel is a
 * {@link ReliabilityDiagram} titled with the class name.
 */
public final class ClasswiseReliability implements ChartData {
    private final String title;
    private final List<String> classNames;
    private final List<ReliabilityDiagram> diagrams;

    private ClasswiseReliability(String title, List<String> classNames, List<ReliabilityDiagram> diagrams) {
        this.title = title;
        this.classNames = classNames;
        this.diagrams = diagrams;
    }

    /**
     * One diagram per class.
     *
     * @param classNames K names (any text; escaped in SVG), or null for "0".."K-1"
     * @throws IllegalArgumentException for labels out of range or of the wrong length (naming the
     *                                  row), a name list of the wrong size, or numBins &lt; 1
     */
    public static ClasswiseReliability of(Probabilities probabilities, int[] labels, List<String> classNames,
            int numBins, String title) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(title, "title");
        int n = probabilities.n();
        int k = probabilities.k();
        Checks.labels("labels", labels, n, k);
        Checks.positive("numBins", numBins);
        List<String> names = names(classNames, k);
        List<ReliabilityDiagram> diagrams = new ArrayList<>(k);
        double[] conf = new double[n];
        boolean[] hit = new boolean[n];
        for (int j = 0; j < k; j++) {
            probabilities.oneVsRest(j, labels, conf, hit);
            diagrams.add(ReliabilityDiagram.of(ReliabilityBins.of(conf, hit, numBins), names.get(j)));
        }
        return new ClasswiseReliability(title, names, List.copyOf(diagrams));
    }

    static List<String> names(List<String> classNames, int k) {
        if (classNames == null) {
            List<String> out = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                out.add(Integer.toString(j));
            }
            return List.copyOf(out);
        }
        if (classNames.size() != k) {
            throw new IllegalArgumentException("Expected " + k + " class names (one per column), but got "
                    + classNames.size());
        }
        for (int j = 0; j < k; j++) {
            if (classNames.get(j) == null) {
                throw new IllegalArgumentException("class name " + j + " is null");
            }
        }
        return List.copyOf(classNames);
    }

    @Override
    public String title() { return title; }
    @Override public <R> R accept(Visitor<R> visitor) { return visitor.classwise(this); }
    public int numClasses() { return diagrams.size(); }
    public List<String> classNames() { return classNames; }
    /** The diagram of class j (titled with its name). */
    public ReliabilityDiagram diagram(int j) { return diagrams.get(j); }
    /** Classwise ECE of these bins: the mean over classes of each diagram's {@link ReliabilityDiagram#ece()}. */
    public double classwiseEce() {
        double s = 0;
        for (ReliabilityDiagram d : diagrams) {
            s += d.ece();
        }
        return s / diagrams.size();
    }
}
