package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** Runs the real {@code calibkit metrics} through {@link Main#commandLine()} on files the test writes. */
class MetricsCommandTest {
    /*
     * Data and reference values from numpy/scipy (python3):
     *   rng = np.random.default_rng(7)
     *   def make(n, k=3):
     *       y = rng.integers(0, k, n); z = np.round(rng.normal(0, 2, (n, k)), 1)
     *       z[np.arange(n), y] += 1.5; return np.round(z, 1), y
     *   z, y = make(12); zc, yc = make(16)
     *   nll = -log_softmax(z, 1)[arange(n), y].mean()
     *   ECE/MCE: 5 equal-width right-closed bins, b = clip(ceil(c * 5) - 1, 0, 4), weighted |acc - conf|
     *   Brier = ((p - onehot(y))**2).sum(1).mean()
     *   T = minimize_scalar(lambda t: nll(zc / t, yc), bounds=(0.05, 50), method='bounded', xatol=1e-12).x
     */
    private static final double[][] Z = {{0.1, 2.7, 0.5}, {-1.2, 2.5, 0.7}, {0.2, -1.9, 1.4}, {1.4, -2.7, 0.6},
        {-3.8, -1.1, -3.7}, {-0.5, -2.5, 2.0}, {0.3, -0.4, -3.5}, {0.4, -0.1, 0.2}, {-1.6, -1.0, -2.0},
        {-0.1, 2.1, -1.6}, {1.4, 1.8, -1.2}, {-0.2, 0.2, 1.6}};
    private static final int[] Y = {2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2};
    private static final double[][] ZC = {{1.5, -2.4, 1.6}, {1.2, -0.4, 2.9}, {-0.1, 1.3, 4.4}, {-1.4, 1.9, -0.9},
        {1.8, -2.4, -1.2}, {-0.4, 1.8, 3.8}, {-2.6, -0.1, 1.3}, {-2.5, -0.9, -0.2}, {4.0, 1.4, -0.7},
        {-0.7, 1.0, 3.0}, {-0.9, -0.6, 2.2}, {-0.2, 1.1, -2.2}, {-0.0, 0.6, 2.3}, {1.3, -0.0, 2.8},
        {-0.7, 2.1, 1.5}, {1.2, -1.1, 0.7}};
    private static final int[] YC = {2, 2, 2, 1, 0, 2, 1, 0, 0, 1, 2, 1, 1, 2, 2, 1};

    private static final double ACC = 0.5;
    private static final double NLL_BEFORE = 1.183990997800999;
    private static final double BRIER_BEFORE = 0.663579930003468;
    private static final double ECE_BEFORE = 0.22226257386573084;
    private static final double MCE_BEFORE = 0.27112064049462004;
    private static final double T = 1.7031015036060588;
    private static final double NLL_AFTER = 1.0198534488169029;
    private static final double BRIER_AFTER = 0.6043309727435607;
    private static final double ECE_AFTER = 0.20304588716681837;
    private static final double MCE_AFTER = 0.6204628676108417;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "metrics";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    // ---- files written independently of calibkit's own writers

    private static void npy(Path file, String descr, String shape, ByteBuffer data) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.put(data.array());
        Files.write(file, b.array());
    }

    private Path npyMatrix(String name, double[][] m) throws IOException {
        ByteBuffer d = ByteBuffer.allocate(m.length * m[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : m) {
            for (double v : row) {
                d.putDouble(v);
            }
        }
        Path f = dir.resolve(name);
        npy(f, "<f8", "(" + m.length + ", " + m[0].length + ")", d);
        return f;
    }

    private Path npyLabels(String name, int[] y) throws IOException {
        ByteBuffer d = ByteBuffer.allocate(y.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : y) {
            d.putLong(v);
        }
        Path f = dir.resolve(name);
        npy(f, "<i8", "(" + y.length + ",)", d);
        return f;
    }

    private Path csvMatrix(String name, double[][] m) throws IOException {
        StringBuilder sb = new StringBuilder("c0,c1,c2\n");
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j == 0 ? "" : ",").append(Double.toString(row[j]));
            }
            sb.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    private Path csvLabels(String name, int[] y) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int v : y) {
            sb.append(v).append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    private String[] evalAndFitNpy() throws IOException {
        return new String[] {"--logits", npyMatrix("z.npy", Z).toString(), "--labels", npyLabels("y.npy", Y).toString(),
            "--fit-logits", npyMatrix("zc.npy", ZC).toString(), "--fit-labels", npyLabels("yc.npy", YC).toString(),
            "--bins", "5"};
    }

    private static String[] plus(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- tests

    @Test
    void jsonBeforeAndAfterTemperatureMatchNumpy() throws IOException {
        Run r = run(plus(evalAndFitNpy(), "--json"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
        JsonNode j = r.json();
        assertEquals(12, j.get("n").asInt());
        assertEquals(ACC, j.get("accuracy").asDouble(), 1e-12);
        assertEquals(NLL_BEFORE, j.get("nll").asDouble(), 1e-9);
        assertEquals(BRIER_BEFORE, j.get("brier").asDouble(), 1e-9);
        assertEquals(ECE_BEFORE, j.get("ece").asDouble(), 1e-9);
        assertEquals(MCE_BEFORE, j.get("mce").asDouble(), 1e-9);
        assertEquals("temperature", j.get("method").asText());
        assertEquals(T, j.get("temperature").asDouble(), 1e-6);
        JsonNode c = j.get("calibrated");
        assertEquals(ACC, c.get("accuracy").asDouble(), 1e-12, "temperature keeps the argmax");
        assertEquals(NLL_AFTER, c.get("nll").asDouble(), 1e-7, "T agrees to ~1e-6, the NLL to ~1e-8");
        assertEquals(BRIER_AFTER, c.get("brier").asDouble(), 1e-7);
        assertEquals(ECE_AFTER, c.get("ece").asDouble(), 1e-7);
        assertEquals(MCE_AFTER, c.get("mce").asDouble(), 1e-6);
        assertTrue(c.get("nll").asDouble() < j.get("nll").asDouble());

        // the remaining metrics are the library's own: the command must report exactly them
        Logits z = Logits.of(Z);
        assertSameMetrics(CalibrationMetrics.summary(z, Y, 5), j);
        assertSameMetrics(CalibrationMetrics.summary(z.divide(j.get("temperature").asDouble()), Y, 5), c);
        for (String key : new String[] {"ece_equal_mass", "classwise_ece", "ace"}) {
            assertTrue(j.has(key) && c.has(key), key);
        }
    }

    private static void assertSameMetrics(MetricSummary expected, JsonNode actual) {
        for (Map.Entry<String, Object> e : expected.toMap().entrySet()) {
            double v = ((Number) e.getValue()).doubleValue();
            assertEquals(v, actual.get(e.getKey()).asDouble(), 1e-12 * Math.max(1, Math.abs(v)), e.getKey());
        }
    }

    @Test
    void csvInputGivesTheSameNumbersAsNpy() throws IOException {
        JsonNode fromNpy = run(plus(evalAndFitNpy(), "--json")).json();
        Run r = run("--logits", csvMatrix("z.csv", Z).toString(), "--labels", csvLabels("y.csv", Y).toString(),
                "--fit-logits", csvMatrix("zc.csv", ZC).toString(), "--fit-labels", csvLabels("yc.csv", YC).toString(),
                "--bins", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode fromCsv = r.json();
        for (String key : MetricSummary.KEYS) {
            assertEquals(fromNpy.get(key).asDouble(), fromCsv.get(key).asDouble(), 0, key);
            assertEquals(fromNpy.get("calibrated").get(key).asDouble(), fromCsv.get("calibrated").get(key).asDouble(),
                    0, key);
        }
    }

    @Test
    void withoutFitSetOnlyTheMetrics() throws IOException {
        Run r = run("--logits", npyMatrix("z.npy", Z).toString(), "--labels", npyLabels("y.npy", Y).toString(),
                "--bins", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals(ECE_BEFORE, j.get("ece").asDouble(), 1e-9);
        assertFalse(j.has("calibrated"));
        assertFalse(j.has("method"));
    }

    @Test
    void aLogitsFileThatHoldsProbabilitiesGetsOneWarningLine() throws IOException {
        Probabilities p = Logits.of(Z).softmax();
        double[][] rows = new double[Z.length][];
        double[][] sigmoid = new double[Z.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = p.row(i);
            sigmoid[i] = new double[Z[i].length];
            for (int j = 0; j < Z[i].length; j++) {
                sigmoid[i][j] = 1 / (1 + Math.exp(-Z[i][j]));
            }
        }
        Path probs = npyMatrix("p_as_logits.npy", rows);
        String labels = npyLabels("y.npy", Y).toString();
        Run r = run("--logits", probs.toString(), "--labels", labels, "--bins", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("calibkit: warning: " + probs + " (--logits) looks like probabilities, not logits"),
                lines.get(0));
        assertTrue(lines.get(0).contains("--probabilities"), lines.get(0));

        Run s = run("--logits", npyMatrix("sig.npy", sigmoid).toString(), "--labels", labels, "--bins", "5");
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.err().contains("looks like independent (sigmoid) probabilities"), s.err());

        // logits and log-probabilities (whose softmax is the distribution itself) get no warning
        assertEquals("", run("--logits", npyMatrix("z.npy", Z).toString(), "--labels", labels, "--bins", "5").err());
        double[][] logp = new double[Z.length][];
        for (int i = 0; i < logp.length; i++) {
            logp[i] = new double[Z[i].length];
            for (int j = 0; j < Z[i].length; j++) {
                logp[i][j] = Math.log(rows[i][j]);
            }
        }
        assertEquals("", run("--logits", npyMatrix("logp.npy", logp).toString(), "--labels", labels, "--bins", "5").err());
        // stated probabilities: no warning either
        assertEquals("", run("--logits", probs.toString(), "--probabilities", "--labels", labels, "--bins", "5").err());
    }

    @Test
    void probabilitiesNeedAnExplicitConversionToFit() throws IOException {
        Probabilities p = Logits.of(Z).softmax();
        double[][] rows = new double[Z.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = p.row(i);
        }
        String probs = csvMatrix("p.csv", rows).toString();
        String labels = csvLabels("y.csv", Y).toString();
        Run r = run("--logits", probs, "--probabilities", "--labels", labels, "--bins", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals("probabilities", j.get("input").asText());
        assertEquals(NLL_BEFORE, j.get("nll").asDouble(), 1e-9);
        assertEquals(ECE_BEFORE, j.get("ece").asDouble(), 1e-9);
        assertEquals(BRIER_BEFORE, j.get("brier").asDouble(), 1e-9);

        String zc = npyMatrix("zc.npy", ZC).toString();
        String yc = npyLabels("yc.npy", YC).toString();
        r = run("--logits", probs, "--probabilities", "--labels", labels, "--fit-logits", zc, "--fit-labels", yc);
        assertError(r, "--from-probabilities-eps");

        // the fit file must then hold probabilities too: softmax of ZC, converted with log(max(p, eps))
        Probabilities pc = Logits.of(ZC).softmax();
        double[][] crow = new double[ZC.length][];
        for (int i = 0; i < crow.length; i++) {
            crow[i] = pc.row(i);
        }
        r = run("--logits", probs, "--probabilities", "--labels", labels, "--fit-logits",
                csvMatrix("pc.csv", crow).toString(), "--fit-labels", yc, "--from-probabilities-eps", "1e-12",
                "--bins", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        // log-softmax differs from the logits by a per-row constant, so T is the same as from logits
        assertEquals(T, r.json().get("temperature").asDouble(), 1e-6);
        assertError(run("--logits", probs, "--labels", labels, "--from-probabilities-eps", "1e-12"),
                "only applies with --probabilities");
    }

    @Test
    void tableIsAligned() throws IOException {
        Run r = run(evalAndFitNpy());
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains(String.format(Locale.ROOT, "T = %.4f", T)), out);
        String eceLine = out.lines().filter(l -> l.startsWith("ece ")).findFirst().orElseThrow();
        assertEquals(String.format(Locale.ROOT, "%-16s %10.4f %10.4f", "ece", ECE_BEFORE, ECE_AFTER), eceLine);
        String header = out.lines().filter(l -> l.startsWith("metric")).findFirst().orElseThrow();
        assertEquals(header.length(), eceLine.length(), "columns line up");
        for (String key : MetricSummary.KEYS) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(key + " ")), key);
        }
    }

    @Test
    void bootstrapIntervalsAreSeededAndBracketTheirSpread() throws IOException {
        String[] args = plus(evalAndFitNpy(), "--json", "--ci", "--resamples", "200", "--seed", "5");
        JsonNode a = run(args).json();
        JsonNode b = run(args).json();
        assertEquals(a.get("ci"), b.get("ci"), "same seed, same intervals");
        JsonNode ci = a.get("ci");
        assertEquals(0.95, ci.get("level").asDouble(), 0);
        assertEquals(200, ci.get("resamples").asInt());
        for (String key : new String[] {"accuracy", "nll", "brier", "ece"}) {
            double lo = ci.get(key).get("lower").asDouble();
            double hi = ci.get(key).get("upper").asDouble();
            assertTrue(lo <= hi, key);
        }
        // accuracy of 12 predictions resampled: bounded by [0, 1] and (6 of 12 right) not degenerate
        assertTrue(ci.get("accuracy").get("lower").asDouble() < 0.5 && ci.get("accuracy").get("upper").asDouble() > 0.5);
        assertTrue(a.get("calibrated").has("ci"));
        JsonNode c = run(plus(args, "--seed", "6")).json();
        assertFalse(a.get("ci").equals(c.get("ci")), "another seed, other intervals");
    }

    @Test
    void plotWritesChartsBeforeAndAfter() throws IOException {
        Path plots = dir.resolve("plots");
        Run r = run(plus(evalAndFitNpy(), "--json", "--plot", plots.toString(), "--class-names", "cat,<dog>,&bird"));
        assertEquals(0, r.exit(), r.err());
        JsonNode listed = r.json().get("plots");
        assertEquals(12, listed.size());
        for (String chart : new String[] {"reliability", "confidence", "classwise"}) {
            for (String tag : new String[] {"before", "after"}) {
                Path png = plots.resolve(chart + "-" + tag + ".png");
                byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
                assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png.toString());
                assertTrue(Files.readString(plots.resolve(chart + "-" + tag + ".svg")).contains("<svg"));
            }
        }
        assertTrue(Files.readString(plots.resolve("classwise-before.svg")).contains("&lt;dog&gt;, &amp;bird"));
        assertError(run(plus(evalAndFitNpy(), "--plot", plots.toString(), "--class-names", "a,b")), "Expected 3 --class-names");
        assertError(run(plus(evalAndFitNpy(), "--class-names", "a,b,c")), "only applies with --plot");
    }

    @Test
    void perClassGridIsSkippedForManyClasses() throws IOException {
        int k = org.calibkit.cli.metrics.MetricsJob.MAX_GRID_CLASSES + 1;
        double[][] z = new double[20][k];
        int[] y = new int[20];
        for (int i = 0; i < z.length; i++) {
            z[i][(i * 7) % k] = 3;
            y[i] = (i * 5) % k;
        }
        Path plots = dir.resolve("many");
        Run r = run("--logits", npyMatrix("many.npy", z).toString(), "--labels", npyLabels("many-y.npy", y).toString(),
                "--plot", plots.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("per-class charts skipped"), r.err());
        assertEquals(4, r.json().get("plots").size(), "reliability and confidence, PNG and SVG");
        assertFalse(Files.exists(plots.resolve("classwise-before.png")));
    }

    @Test
    void nonFiniteParametersBecomeNull() throws IOException {
        JsonNode tree = JSON.readTree("{\"a\": [1.5, 2.0], \"b\": {\"c\": 3}}");
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("a")).add(Double.NaN);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("b")).put("d", Double.POSITIVE_INFINITY);
        String out = JSON.writeValueAsString(org.calibkit.report.render.Json.finite(tree));
        assertEquals("{\"a\":[1.5,2.0,null],\"b\":{\"c\":3,\"d\":null}}", out);
    }

    @Test
    void everyBuiltInCalibratorRunsEndToEnd() throws IOException {
        for (String method : org.calibkit.calibration.calibrators.CalibrationMethod.ids()) {
            Run r = run(plus(evalAndFitNpy(), "--json", "--method", method));
            assertEquals(0, r.exit(), method + ": " + r.err());
            JsonNode j = r.json();
            assertEquals(method, j.get("method").asText());
            JsonNode c = j.get("calibrated");
            for (String key : MetricSummary.KEYS) {
                assertTrue(c.has(key), method + " " + key);
            }
            assertTrue(c.get("nll").isNumber() && c.get("nll").asDouble() > 0, method);
            assertTrue(j.get("parameters").isObject(), method);
        }
    }

    // ---- errors: one line on stderr, exit 1 (2 for usage)

    private static void assertError(Run r, String expected) {
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.out() + r.err());
        assertEquals("", r.out(), "nothing on stdout");
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("calibkit: error: "), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
    }

    @Test
    void missingFile() throws IOException {
        String missing = dir.resolve("nope.npy").toString();
        assertError(run("--logits", missing, "--labels", npyLabels("y.npy", Y).toString()), "nope.npy");
        assertError(run("--logits", missing, "--labels", npyLabels("y.npy", Y).toString()), "--logits");
    }

    @Test
    void directoryAndTruncatedFiles() throws IOException {
        String y = npyLabels("y.npy", Y).toString();
        assertError(run("--logits", dir.toString(), "--labels", y), "is a directory");
        Path z = npyMatrix("z.npy", Z);
        byte[] all = Files.readAllBytes(z);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(all, all.length - 20));
        assertError(run("--logits", cut.toString(), "--labels", y), "cut.npy");
    }

    @Test
    void labelCountMismatchNamesBothFiles() throws IOException {
        Run r = run("--logits", npyMatrix("z.npy", Z).toString(), "--labels",
                npyLabels("short.npy", Arrays.copyOf(Y, 11)).toString());
        assertError(r, "short.npy has 11 labels");
        assertError(r, "z.npy has 12 rows");
    }

    @Test
    void labelOutOfRange() throws IOException {
        int[] bad = Y.clone();
        bad[4] = 3;
        assertError(run("--logits", npyMatrix("z.npy", Z).toString(), "--labels", npyLabels("bad.npy", bad).toString()),
                "label 3 at row 4 is outside [0, 3)");
        int[] badFit = YC.clone();
        badFit[15] = 7;
        String[] args = evalAndFitNpy();
        args[7] = npyLabels("badfit.npy", badFit).toString();
        assertError(run(args), "badfit.npy: label 7 at row 15");
    }

    @Test
    void nanInLogits() throws IOException {
        double[][] z = new double[Z.length][];
        for (int i = 0; i < z.length; i++) {
            z[i] = Z[i].clone();
        }
        z[5][1] = Double.NaN;
        assertError(run("--logits", npyMatrix("nan.npy", z).toString(), "--labels", npyLabels("y.npy", Y).toString()),
                "row 5");
        assertError(run("--logits", npyMatrix("nan.npy", z).toString(), "--labels", npyLabels("y.npy", Y).toString()),
                "nan.npy");
    }

    @Test
    void classCountMismatchBetweenSets() throws IOException {
        double[][] two = new double[ZC.length][];
        for (int i = 0; i < two.length; i++) {
            two[i] = new double[] {ZC[i][0], ZC[i][1]};
        }
        String[] args = evalAndFitNpy();
        args[5] = npyMatrix("two.npy", two).toString();
        args[7] = npyLabels("yc2.npy", new int[ZC.length]).toString();
        assertError(run(args), "has 2 classes but the evaluation set");
    }

    /*
     * Reference values printed by src/test/resources/org/calibkit/cli/metrics_statistics_reference.py
     * (numpy 1.24.2, scipy 1.10.1) from the definitions: LAC conformal sets fitted on ZC at alpha 0.2,
     * two-sided Spiegelhalter Z, AURC of msp (torch-uncertainty's convention), Clopper-Pearson of the top bin.
     */
    @Test
    void statisticsMatchNumpyAndScipy() throws IOException {
        Run r = run(plus(evalAndFitNpy(), "--json", "--alpha", "0.2"));
        assertEquals(0, r.exit(), r.err());
        JsonNode s = r.json().get("statistics");
        assertEquals(0.2, s.get("alpha").asDouble(), 0);
        JsonNode lac = s.at("/conformal/sets/0");
        assertEquals("lac", lac.get("score").asText());
        assertEquals(14, lac.get("rank").asInt());
        assertEquals(16, lac.get("n_calibration").asInt());
        assertEquals(0.8833375669369725, lac.get("threshold").asDouble(), 1e-12);
        assertEquals(0.75, lac.at("/test/coverage").asDouble(), 0);
        assertEquals(1.9166666666666667, lac.at("/test/mean_size").asDouble(), 1e-12);
        assertEquals(List.of(0, 4, 5, 3), ints(lac.at("/test/size_histogram")));
        assertEquals(0.42814153812190026, lac.at("/test/coverage_lower").asDouble(), 1e-9);
        assertEquals(0.9451393554720076, lac.at("/test/coverage_upper").asDouble(), 1e-9);
        JsonNode sp = s.at("/calibration_tests/uncalibrated/0");
        assertEquals("spiegelhalter", sp.get("test").asText());
        assertEquals(2.1044491482445817, sp.get("statistic").asDouble(), 1e-12);
        assertEquals(0.035339286017851884, sp.get("p_value").asDouble(), 1e-12);
        assertTrue(sp.get("rejects").asBoolean());
        assertTrue(sp.get("sentence").asText().startsWith("the test set gives evidence of miscalibration at 5%"));
        assertEquals(4, s.at("/calibration_tests/calibrated").size());
        JsonNode msp = s.at("/selective/0");
        assertEquals("msp", msp.get("score").asText());
        assertEquals(0.40611635838908566, msp.get("aurc").asDouble(), 1e-12);
        assertEquals(List.of("msp", "max_logit", "energy", "msp_calibrated"),
                java.util.stream.StreamSupport.stream(s.get("selective").spliterator(), false)
                        .map(n -> n.get("score").asText()).toList());
        JsonNode top = s.at("/bin_intervals/uncalibrated/4");
        assertEquals(5, top.get("count").asInt());
        assertEquals(3, top.get("correct").asInt());
        assertEquals(0.14663279963467254, top.at("/clopper_pearson/lower").asDouble(), 1e-9);
        assertEquals(0.9472550494736843, top.at("/clopper_pearson/upper").asDouble(), 1e-9);

        // the table says the same in words
        Run t = run(plus(evalAndFitNpy(), "--alpha", "0.2"));
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().contains("conformal sets (alpha 0.2, fitted on 16 rows"), t.out());
        assertTrue(t.out().contains("Spiegelhalter Z = 2.10, p = 0.035"), t.out());
        assertTrue(t.out().contains("selective prediction"), t.out());
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new java.util.ArrayList<>();
        a.forEach(n -> out.add(n.asInt()));
        return out;
    }

    @Test
    void withoutAFitSetThereAreNoConformalSets() throws IOException {
        JsonNode s = run("--logits", npyMatrix("z.npy", Z).toString(), "--labels", npyLabels("y.npy", Y).toString(),
                "--json").json().get("statistics");
        assertTrue(s.get("conformal").isNull());
        assertTrue(s.at("/calibration_tests/calibrated").isNull());
        assertEquals(3, s.get("selective").size(), "msp, max_logit, energy");
    }

    @Test
    void bcaIntervalsOnRequestPercentileByDefault() throws IOException {
        String[] args = plus(evalAndFitNpy(), "--json", "--ci", "--resamples", "200");
        JsonNode pct = run(args).json();
        JsonNode bca = run(plus(args, "--intervals", "bca")).json();
        assertEquals("percentile", pct.at("/ci/method").asText());
        assertEquals("bca", bca.at("/ci/method").asText());
        assertEquals("bca", bca.at("/calibrated/ci/method").asText());
        assertFalse(pct.at("/ci/ece").equals(bca.at("/ci/ece")), "BCa moves the ECE interval");
        assertTrue(run(plus(args, "--intervals", "bca")).out().contains("\"method\":\"bca\""));
        Run table = run(plus(evalAndFitNpy(), "--ci", "--resamples", "50", "--intervals", "BCA"));
        assertTrue(table.out().contains("intervals: 95% BCa bootstrap"), table.out());
    }

    @Test
    void badOptions() throws IOException {
        String z = npyMatrix("z.npy", Z).toString();
        String y = npyLabels("y.npy", Y).toString();
        assertError(run("--logits", z, "--labels", y, "--bins", "0"), "--bins");
        assertError(run("--logits", z, "--labels", y, "--fit-logits", z), "--fit-labels");
        assertError(run("--logits", z, "--labels", y, "--fit-logits", z, "--fit-labels", y, "--method", "magic"),
                "magic");
        assertError(run("--logits", z, "--labels", y, "--intervals", "student"), "student");
        assertError(run("--logits", z, "--labels", y, "--alpha", "1.5"), "--alpha");
        Run usage = run("--logits", z);
        assertEquals(Main.EXIT_USAGE, usage.exit());
        assertTrue(usage.err().contains("--labels"), usage.err());
    }
}
