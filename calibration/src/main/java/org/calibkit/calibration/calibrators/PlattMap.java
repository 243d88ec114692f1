package org.calibkit.calibration.calibrators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;

/**
 * A fitted Platt map: P = 1 / (1 + exp(A f + B)), either on z_1 - z_0 of a binary softmax head
 * (rows [1 - p, p]) or one (A_j, B_j) per class on its own logit (independent probabilities).
 * See {@link PlattScaling}.
 */
public final class PlattMap extends FittedMap {
    /** Which logits the map reads. */
    public enum Kind { BINARY, ONE_VS_REST }

    private final Kind kind;
    private final double[] a;
    private final double[] b;

    PlattMap(int k, Kind kind, double[] a, double[] b) {
        super(PlattScaling.METHOD, k);
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    @Override
    public Probabilities apply(Logits logits) {
        checkClasses(logits);
        int n = logits.n();
        int k = numClasses();
        double[] z = logits.raw();
        double[] out = new double[n * k];
        if (kind == Kind.BINARY) {
            for (int i = 0; i < n; i++) {
                double x = a[0] * (z[i * 2 + 1] - z[i * 2]) + b[0];
                out[i * 2 + 1] = PlattScaling.sigmoidOfMinus(x);
                out[i * 2] = PlattScaling.sigmoidOfMinus(-x);
            }
            return Probabilities.of(out, n, k, true);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = PlattScaling.sigmoidOfMinus(a[j] * z[i * k + j] + b[j]);
            }
        }
        return Probabilities.of(out, n, k, false);
    }

    /** BINARY or ONE_VS_REST. */
    public Kind kind() { return kind; }
    /** The slopes A (one for BINARY, K for ONE_VS_REST; a copy). */
    public double[] a() { return a.clone(); }
    /** The offsets B (a copy). */
    public double[] b() { return b.clone(); }

    @Override
    void putParameters(Map<String, Object> m) {
        m.put("kind", kind.name().toLowerCase(Locale.ROOT));
        m.put("a", a.clone());
        m.put("b", b.clone());
    }

    @Override
    void putJson(ObjectNode o) {
        o.put("kind", kind.name().toLowerCase(Locale.ROOT));
        o.set("a", MapJson.array(a));
        o.set("b", MapJson.array(b));
    }

    static PlattMap fromJson(JsonNode root, int k) {
        String method = PlattScaling.METHOD;
        String kindText = MapJson.text(root, "kind", method);
        Kind kind;
        if (kindText.equals("binary")) {
            kind = Kind.BINARY;
            if (k != 2) {
                throw new IllegalArgumentException("calibration map (platt): kind 'binary' needs numClasses 2, but got " + k);
            }
        } else if (kindText.equals("one_vs_rest")) {
            kind = Kind.ONE_VS_REST;
        } else {
            throw new IllegalArgumentException("calibration map (platt): expected kind 'binary' or 'one_vs_rest',"
                    + " but got '" + kindText + "'");
        }
        int len = kind == Kind.BINARY ? 1 : k;
        return new PlattMap(k, kind, MapJson.vector(root, "a", len, method), MapJson.vector(root, "b", len, method));
    }

    @Override
    public String toString() {
        return "PlattMap[K=" + numClasses() + ", " + kind.name().toLowerCase(Locale.ROOT) + "]";
    }
}
