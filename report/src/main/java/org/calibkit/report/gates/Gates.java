package org.calibkit.report.gates;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.calibkit.calibration.metrics.Metric;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.json.AuditJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Gates over an audit's JSON twin, for CI: {@code "ece>0.05,probe.blank-black.overconfident_share>0.5"}.
 * Values are read from {@link AuditJson#tree(AuditResult)}, the very tree {@code --json} writes,
 * so a gate and the JSON file never disagree.
 *
 * <p><b>Syntax.</b> Gates separated by commas; each is {@code KEY OP NUMBER} with OP one of
 * {@code >}, {@code >=}, {@code <}, {@code <=} (spaces around the parts are ignored). A gate
 * <em>fails</em> when its comparison is true: {@code ece>0.05} fails for an ECE of 0.06.
 *
 * <p><b>Key paths</b>, resolved against the JSON tree:
 * <ol>
 *   <li>A bare metric key of {@link Metrics#ALL} ({@code accuracy}, {@code nll}, {@code brier},
 *       {@code ece}, {@code mce}, {@code signed_ece}, ...) is the test split's value as the
 *       report's verdict uses it: {@code test.calibrated.KEY} when a calibration was fitted or
 *       applied, else {@code test.uncalibrated.KEY}.</li>
 *   <li>{@code probe.} is short for {@code probes.}.</li>
 *   <li>Otherwise the key is a dotted path from the root: at an object, a step is a field name;
 *       at an array, a step is an element's {@code name} (probes, per-class rows) or {@code check}
 *       (verdicts), or an index from 0. Names may contain dots: the longest name that fits wins.
 *       Examples: {@code test.uncalibrated.ece}, {@code probes.noise-uniform.auroc.energy},
 *       {@code probes.rotated-30.calibrated.overconfident_share}, {@code test.per_class.7.recall},
 *       {@code verdicts.test.ece.value}, {@code verdict_counts.fail}, {@code test.temperature}.</li>
 * </ol>
 * The value must be a number (a boolean counts as 1 or 0). A key the tree does not have, or
 * whose value is an object, array or text, is a {@link GateException} (a usage error). A value
 * the audit could not compute ({@code null}: a skipped probe, a calibrated value without a
 * calibration) makes the gate fail: a CI gate must not pass for want of a number.
 */
public final class Gates {
    /** A plain decimal number: 0.05, -1, 1e-3 (no NaN, infinity or hexadecimal). */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private Gates() {
    }

    /**
     * The outcome of one gate.
     *
     * @param gate  the gate
     * @param path  the full path the key resolved to (e.g. {@code test.calibrated.ece} for {@code ece})
     * @param value the audit's value, NaN when it is {@code null}
     * @param holds whether the gate holds (its comparison is false of a value that exists)
     */
    public record Outcome(Gate gate, String path, double value, boolean holds) {
        /** One line: {@code ece = 0.0612 > 0.05 (test.calibrated.ece)}, or why there is no value. */
        public String describe() {
            String where = path.equals(gate.key()) ? "" : " (" + path + ")";
            if (Double.isNaN(value)) {
                return gate + ": " + gate.key() + where + " has no value (null in the audit: not computed)";
            }
            return gate.key() + " = " + Gate.num(value) + (holds ? " holds " : " fails ") + gate.op().symbol()
                    + " " + Gate.num(gate.threshold()) + where;
        }
    }

    /**
     * Parses a gate list.
     *
     * @throws GateException naming the part that does not parse
     */
    public static List<Gate> parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        List<Gate> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String g = part.trim();
            if (g.isEmpty()) {
                throw new GateException("gates must be KEY>NUMBER, KEY<NUMBER, KEY>=NUMBER or KEY<=NUMBER separated by "
                        + "commas, but '" + spec + "' has an empty gate");
            }
            int at = -1;
            for (int i = 0; i < g.length(); i++) {
                if (g.charAt(i) == '<' || g.charAt(i) == '>') {
                    at = i;
                    break;
                }
            }
            if (at <= 0) {
                throw new GateException("gate '" + g + "' does not parse: expected KEY>NUMBER, KEY<NUMBER, KEY>=NUMBER or "
                        + "KEY<=NUMBER (e.g. ece>0.05)");
            }
            boolean eq = at + 1 < g.length() && g.charAt(at + 1) == '=';
            Gate.Op op = g.charAt(at) == '>' ? (eq ? Gate.Op.GE : Gate.Op.GT) : (eq ? Gate.Op.LE : Gate.Op.LT);
            String key = g.substring(0, at).trim();
            String num = g.substring(at + (eq ? 2 : 1)).trim();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace) || key.contains("=")) {
                throw new GateException("gate '" + g + "' does not parse: '" + key + "' is not a key path");
            }
            if (!NUMBER.matcher(num).matches() || !Double.isFinite(Double.parseDouble(num))) {
                throw new GateException("gate '" + g + "' does not parse: '" + num + "' is not a number");
            }
            out.add(new Gate(key, op, Double.parseDouble(num)));
        }
        return List.copyOf(out);
    }

    /** Evaluates gates on an audit result (through its JSON tree). */
    public static List<Outcome> evaluate(List<Gate> gates, AuditResult result) {
        return evaluate(gates, AuditJson.tree(result));
    }

    /**
     * Evaluates gates on an audit's JSON tree (written by {@link AuditJson}, or read back with
     * {@link AuditJson#read}).
     *
     * @throws GateException for a key the tree does not have or whose value is not a number
     */
    public static List<Outcome> evaluate(List<Gate> gates, JsonNode root) {
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(root, "root");
        List<Outcome> out = new ArrayList<>();
        for (Gate g : gates) {
            Resolved r = resolve(root, g.key());
            JsonNode v = r.node();
            double value;
            if (v.isNull()) {
                value = Double.NaN;
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue() ? 1 : 0;
            } else {
                throw new GateException("gate '" + g + "': " + r.path() + " is " + kind(v) + ", not a number"
                        + (v.isContainerNode() ? "; its keys: " + keys(v) : ""));
            }
            boolean holds = !Double.isNaN(value) && !g.op().test(value, g.threshold());
            out.add(new Outcome(g, r.path(), value, holds));
        }
        return List.copyOf(out);
    }

    /** Whether every outcome holds. */
    public static boolean allHold(List<Outcome> outcomes) {
        return outcomes.stream().allMatch(Outcome::holds);
    }

    /** A node and the full path it was found at. */
    record Resolved(JsonNode node, String path) {
    }

    /**
     * The node a key path names (see the class comment).
     *
     * @throws GateException when the tree has no such key, naming the keys there are at the step that failed
     */
    static Resolved resolve(JsonNode root, String key) {
        String path = key;
        if (Metrics.ALL.stream().map(Metric::key).anyMatch(key::equals)) {
            JsonNode cal = root.path("test").path("calibrated");
            path = "test." + (cal.isObject() ? "calibrated" : "uncalibrated") + "." + key;
        } else if (key.startsWith("probe.")) {
            path = "probes." + key.substring("probe.".length());
        }
        JsonNode node = root;
        String rest = path;
        StringBuilder seen = new StringBuilder();
        while (!rest.isEmpty()) {
            String step;
            JsonNode next;
            if (node.isObject()) {
                int dot = rest.indexOf('.');
                step = dot < 0 ? rest : rest.substring(0, dot);
                next = node.get(step);
                if (next == null) {
                    throw unknown(key, seen, step, "its keys: " + keys(node));
                }
            } else if (node.isArray()) {
                step = null;
                next = null;
                for (JsonNode e : node) {
                    String name = e.path("name").isTextual() ? e.get("name").asText()
                            : e.path("check").isTextual() ? e.get("check").asText() : null;
                    if (name != null && (rest.equals(name) || rest.startsWith(name + "."))
                            && (step == null || name.length() > step.length())) {
                        step = name;
                        next = e;
                    }
                }
                if (next == null) {
                    int dot = rest.indexOf('.');
                    String first = dot < 0 ? rest : rest.substring(0, dot);
                    if (first.matches("\\d{1,9}") && Integer.parseInt(first) < node.size()) {
                        step = first;
                        next = node.get(Integer.parseInt(first));
                    } else {
                        throw unknown(key, seen, first, node.isEmpty() ? "it is empty"
                                : "its entries: " + names(node) + " (or an index below " + node.size() + ")");
                    }
                }
            } else {
                throw unknown(key, seen, rest, "it is " + kind(node) + ", not an object or array");
            }
            seen.append(seen.length() == 0 ? "" : ".").append(step);
            rest = rest.length() == step.length() ? "" : rest.substring(step.length() + 1);
            node = next;
        }
        return new Resolved(node, path);
    }

    private static GateException unknown(String key, StringBuilder seen, String step, String what) {
        String at = seen.length() == 0 ? "the audit JSON" : seen.toString();
        return new GateException("gate key '" + key + "' is not in the audit: " + at + " has no '" + step + "' ("
                + what + ")");
    }

    private static String kind(JsonNode v) {
        return v.isObject() ? "an object" : v.isArray() ? "an array" : v.isTextual() ? "text '" + v.asText() + "'"
                : v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String keys(JsonNode obj) {
        if (obj.isArray()) {
            return names(obj);
        }
        List<String> k = new ArrayList<>();
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            k.add(it.next());
        }
        return String.join(", ", k);
    }

    private static String names(JsonNode arr) {
        List<String> k = new ArrayList<>();
        for (JsonNode e : arr) {
            if (e.path("name").isTextual()) {
                k.add(e.get("name").asText());
            } else if (e.path("check").isTextual()) {
                k.add(e.get("check").asText());
            }
        }
        return k.isEmpty() ? "(unnamed)" : String.join(", ", k);
    }
}
