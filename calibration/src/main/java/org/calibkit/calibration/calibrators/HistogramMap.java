package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;

/** A fitted histogram binning: per class, one calibrated value per bin. See {@link HistogramBinning}. */
public final class HistogramMap extends FittedMap {
    private final double[][] values;
    private final long[][] counts;

    /** {@code values} and {@code counts}: k rows of numBins each. */
    HistogramMap(int k, double[][] values, long[][] counts) {
        super(HistogramBinning.METHOD, k);
        this.values = values;
        this.counts = counts;
    }

    @Override
    public Probabilities apply(Logits logits) {
        checkClasses(logits);
        int bins = numBins();
        return OneVsRest.calibrate(logits, (cls, p) -> values[cls][ReliabilityBins.binOf(p, bins)]);
    }

    public int numBins() { return values[0].length; }

    /** The calibrated value of each bin of class {@code cls} (a copy). */
    public double[] binValues(int cls) {
        return values[cls].clone();
    }

    /** Calibration rows per bin of class {@code cls} (a copy; 0 marks a bin that kept its midpoint). */
    public long[] binCounts(int cls) {
        return counts[cls].clone();
    }

    @Override
    void putParameters(Map<String, Object> m) {
        m.put("numBins", numBins());
        m.put("binValues", Arrays.stream(values).map(double[]::clone).toArray(double[][]::new));
        m.put("binCounts", Arrays.stream(counts).map(long[]::clone).toArray(long[][]::new));
    }

    @Override
    void putJson(ObjectNode o) {
        o.put("numBins", numBins());
        o.set("binValues", MapJson.matrix(values));
        ArrayNode cs = o.putArray("binCounts");
        for (long[] row : counts) {
            ArrayNode a = cs.addArray();
            for (long c : row) {
                a.add(c);
            }
        }
    }

    static HistogramMap fromJson(JsonNode root, int k) {
        String method = HistogramBinning.METHOD;
        int bins = MapJson.integer(root, "numBins", method);
        if (bins <= 0) {
            throw new IllegalArgumentException("calibration map (histogram): expected numBins > 0, but got " + bins);
        }
        double[][] values = MapJson.matrix(root, "binValues", k, bins, method);
        for (int j = 0; j < k; j++) {
            for (int b = 0; b < bins; b++) {
                if (!(values[j][b] >= 0 && values[j][b] <= 1)) {
                    throw new IllegalArgumentException("calibration map (histogram): expected binValues in [0, 1], but got "
                            + values[j][b] + " at class " + j + ", bin " + b);
                }
            }
        }
        long[][] counts = new long[k][bins];
        if (root.has("binCounts")) {
            double[][] c = MapJson.matrix(root, "binCounts", k, bins, method);
            for (int j = 0; j < k; j++) {
                for (int b = 0; b < bins; b++) {
                    if (c[j][b] < 0 || c[j][b] != Math.rint(c[j][b])) {
                        throw new IllegalArgumentException("calibration map (histogram): expected binCounts to be "
                                + "integers >= 0, but got " + c[j][b] + " at class " + j + ", bin " + b);
                    }
                    counts[j][b] = (long) c[j][b];
                }
            }
        }
        return new HistogramMap(k, values, counts);
    }

    @Override
    public String toString() {
        return "HistogramMap[K=" + numClasses() + ", " + numBins() + " bins]";
    }
}
