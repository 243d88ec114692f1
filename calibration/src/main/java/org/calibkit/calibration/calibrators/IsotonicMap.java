package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * A fitted one-vs-rest isotonic map: per class, increasing thresholds of the softmax probability
 * and the non-decreasing calibrated values there, interpolated linearly and clipped at the ends.
 * See {@link IsotonicCalibration}.
 */
public final class IsotonicMap extends FittedMap {
    private final double[][] xs;
    private final double[][] ys;

    IsotonicMap(int k, double[][] xs, double[][] ys) {
        super(IsotonicCalibration.METHOD, k);
        this.xs = xs;
        this.ys = ys;
    }

    @Override
    public Probabilities apply(Logits logits) {
        checkClasses(logits);
        return OneVsRest.calibrate(logits, (cls, p) -> interpolate(xs[cls], ys[cls], p));
    }

    static double interpolate(double[] x, double[] y, double v) {
        int m = x.length;
        if (v <= x[0]) {
            return y[0];
        }
        if (v >= x[m - 1]) {
            return y[m - 1];
        }
        int pos = Arrays.binarySearch(x, v);
        if (pos >= 0) {
            return y[pos];
        }
        int hi = -pos - 1;
        int lo = hi - 1;
        double f = (v - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + f * (y[hi] - y[lo]);
    }

    /** The increasing input thresholds of class {@code cls} (a copy). */
    public double[] thresholds(int cls) { return xs[cls].clone(); }

    /** The calibrated values at those thresholds (a copy). */
    public double[] values(int cls) { return ys[cls].clone(); }

    @Override
    void putParameters(Map<String, Object> m) {
        m.put("thresholds", Arrays.stream(xs).map(double[]::clone).toArray(double[][]::new));
        m.put("values", Arrays.stream(ys).map(double[]::clone).toArray(double[][]::new));
    }

    @Override
    void putJson(ObjectNode o) {
        ArrayNode cls = o.putArray("classes");
        for (int j = 0; j < numClasses(); j++) {
            ObjectNode c = cls.addObject();
            c.set("thresholds", MapJson.array(xs[j]));
            c.set("values", MapJson.array(ys[j]));
        }
    }

    static IsotonicMap fromJson(JsonNode root, int k) {
        String method = IsotonicCalibration.METHOD;
        JsonNode cls = MapJson.field(root, "classes", method);
        if (!cls.isArray() || cls.size() != k) {
            throw new IllegalArgumentException("calibration map (isotonic): expected classes to be an array of " + k
                    + " objects, but got " + (cls.isArray() ? cls.size() + " entries" : cls.getNodeType().toString()));
        }
        double[][] xs = new double[k][];
        double[][] ys = new double[k][];
        for (int j = 0; j < k; j++) {
            JsonNode c = cls.get(j);
            if (!c.isObject()) {
                throw new IllegalArgumentException("calibration map (isotonic): expected classes[" + j
                        + "] to be an object, but got " + c.getNodeType());
            }
            xs[j] = MapJson.vector(c, "thresholds", -1, method);
            ys[j] = MapJson.vector(c, "values", xs[j].length, method);
            for (int r = 0; r < xs[j].length; r++) {
                if (r > 0 && !(xs[j][r] > xs[j][r - 1])) {
                    throw new IllegalArgumentException("calibration map (isotonic): expected increasing thresholds,"
                            + " but classes[" + j + "].thresholds[" + r + "] = " + xs[j][r] + " follows " + xs[j][r - 1]);
                }
                if (!(ys[j][r] >= 0 && ys[j][r] <= 1) || (r > 0 && ys[j][r] < ys[j][r - 1])) {
                    throw new IllegalArgumentException("calibration map (isotonic): expected non-decreasing values in"
                            + " [0, 1], but classes[" + j + "].values[" + r + "] = " + ys[j][r]);
                }
            }
        }
        return new IsotonicMap(k, xs, ys);
    }

    @Override
    public String toString() {
        int total = 0;
        for (double[] x : xs) {
            total += x.length;
        }
        return "IsotonicMap[K=" + numClasses() + ", " + total + " thresholds]";
    }
}
