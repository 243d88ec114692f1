package org.calibkit.report.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.calibkit.calibration.Logits;
import org.calibkit.report.html.MonitorHtml;
import org.calibkit.report.json.MonitorJson;
import org.calibkit.report.render.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The monitor on seeded synthetic logits of a 3-class model (the true class ahead by a margin):
 * windows cut as documented, realised accuracy counted here row by row, the class-mix test equal
 * to scipy's, no alert when the log is drawn like the reference and every alert when it is noise.
 */
class MonitorTest {
    private static final int K = 3;

    /** Rows whose true class is ahead by {@code margin} (0: pure noise); labels in {@code y}. */
    private static Logits draw(Random rnd, int n, double margin, int[] y) {
        double[][] z = new double[n][K];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(K);
            for (int j = 0; j < K; j++) {
                z[i][j] = rnd.nextGaussian() + (j == y[i] ? margin : 0);
            }
        }
        return Logits.of(z);
    }

    private static Reference reference(Random rnd) {
        int[] y = new int[3000];
        Logits z = draw(rnd, 3000, 3.0, y);
        return Reference.fit(z, y, MonitorOptions.defaults());
    }

    @Test
    void windowsAreCutAsDocumentedAndLabelledRowsCountedByHand() {
        Random rnd = new Random(5);
        Reference ref = reference(rnd);
        int[] y = new int[1234];
        Logits log = draw(rnd, 1234, 3.0, y);
        MonitorResult r = Monitor.run(ref, log, y, "log", MonitorOptions.defaults(), s -> { });
        assertEquals(3, r.windows().size());
        assertEquals(List.of(0L, 500L, 1000L), r.windows().stream().map(MonitorResult.Window::firstRow).toList());
        assertEquals(List.of(500, 500, 234), r.windows().stream().map(MonitorResult.Window::rows).toList());
        int[] predicted = log.argmax();
        for (MonitorResult.Window w : r.windows()) {
            int hit = 0;
            for (int i = (int) w.firstRow(); i < w.firstRow() + w.rows(); i++) {
                hit += predicted[i] == y[i] ? 1 : 0; // temperature scaling keeps the arg-max
            }
            assertEquals((double) hit / w.rows(), w.accuracy(), 1e-12);
            assertEquals(w.rows(), w.labelled());
        }
        // drawn like the reference: nothing alerts
        assertEquals(List.of(), r.alerts());
    }

    @Test
    void noiseAlertsOnEveryCount() {
        Random rnd = new Random(6);
        Reference ref = reference(rnd);
        int[] y = new int[1000];
        Logits clean = draw(rnd, 1000, 3.0, y);
        Logits noise = draw(rnd, 1000, 0.0, y);
        double[] both = new double[2000 * K];
        System.arraycopy(clean.raw(), 0, both, 0, 1000 * K);
        System.arraycopy(noise.raw(), 0, both, 1000 * K, 1000 * K);
        MonitorResult r = Monitor.run(ref, Logits.of(both, 2000, K), null, "log", MonitorOptions.defaults(), s -> { });
        assertEquals(2, r.firstAlertWindow()); // the first noise window, none before
        for (int w = 2; w < 4; w++) {
            int window = w;
            List<String> kinds = r.alerts().stream().filter(a -> a.window() == window).map(MonitorResult.Alert::kind).toList();
            assertTrue(kinds.containsAll(List.of("accuracy", "unfamiliar")), kinds.toString());
        }
        assertTrue(Double.isNaN(r.windows().get(0).accuracy())); // no labels: nothing realised
    }

    /** Windows are measured on several threads: one thread or five, the windows, alerts and progress lines are the same, in order. */
    @Test
    void theNumberOfThreadsChangesNothing() {
        Random rnd = new Random(8);
        Reference ref = reference(rnd);
        int[] y = new int[3000];
        Logits log = draw(rnd, 3000, 1.5, y);
        List<MonitorResult> results = new java.util.ArrayList<>();
        List<List<String>> lines = new java.util.ArrayList<>();
        for (int threads : new int[] {1, 5}) {
            List<Monitor.WindowRows> windows = new java.util.ArrayList<>();
            for (int s = 0; s < 3000; s += 100) {
                int[] idx = java.util.stream.IntStream.range(s, s + 100).toArray();
                windows.add(new Monitor.WindowRows("rows " + s, s, log.select(idx), java.util.Arrays.copyOfRange(y, s, s + 100)));
            }
            List<String> progress = new java.util.ArrayList<>();
            results.add(Monitor.stream(ref, windows.iterator(), "log", "100 rows", MonitorOptions.defaults().withWindow(100),
                    progress::add, threads));
            lines.add(progress);
        }
        assertEquals(30, results.get(0).windows().size());
        assertEquals(results.get(0).windows(), results.get(1).windows());
        assertEquals(results.get(0).alerts(), results.get(1).alerts());
        assertEquals(lines.get(0), lines.get(1));
        for (int w = 0; w < 30; w++) {
            assertEquals(w, results.get(1).windows().get(w).index()); // in window order
        }
    }

    /**
     * The class mix alerts below classMixP / W (Bonferroni over the run's W windows): the alerted
     * windows are exactly those whose p-value is below that level, recounted here from the
     * windows' own p-values; a window whose p lies between the level and classMixP does not alert.
     */
    @Test
    void theClassMixLevelIsPerRun() {
        Random rnd = new Random(9);
        Reference ref = reference(rnd);
        int n = 40 * 100;
        double[] z = new double[n * K];
        for (int i = 0; i < n; i++) {
            // class 0 drawn a little more often as the log goes on: p-values from about 1 down to 0
            double skew = 0.25 * i / n;
            int y = rnd.nextDouble() < 1.0 / K + skew ? 0 : 1 + rnd.nextInt(K - 1);
            for (int j = 0; j < K; j++) {
                z[i * K + j] = rnd.nextGaussian() + (j == y ? 3.0 : 0);
            }
        }
        MonitorResult r = Monitor.run(ref, Logits.of(z, n, K), null, "log", MonitorOptions.defaults().withWindow(100),
                s -> { });
        double level = 0.01 / 40;
        assertEquals(level, r.classMixLevel(), 1e-18);
        java.util.Set<Integer> expected = new java.util.TreeSet<>();
        boolean between = false;
        for (MonitorResult.Window w : r.windows()) {
            if (w.classMixP() < level) {
                expected.add(w.index());
            }
            between |= w.classMixP() >= level && w.classMixP() < 0.01;
        }
        java.util.Set<Integer> alerted = new java.util.TreeSet<>();
        r.alerts().stream().filter(a -> a.kind().equals("class_mix")).forEach(a -> alerted.add(a.window()));
        assertEquals(expected, alerted);
        assertTrue(!expected.isEmpty() && between, "the drawn log must have windows on both sides of the level: "
                + expected + ", between " + between);
        // alerts stay in window order with the class mix last within its window
        for (int i = 1; i < r.alerts().size(); i++) {
            assertTrue(r.alerts().get(i - 1).window() <= r.alerts().get(i).window());
        }
    }

    /** logsumexp(z_i / t) of row i, written out here (the negative energy of the calibrated logits). */
    private static double lseOver(Logits z, int i, double t) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < K; j++) {
            m = Math.max(m, z.get(i, j) / t);
        }
        double sum = 0;
        for (int j = 0; j < K; j++) {
            sum += Math.exp(z.get(i, j) / t - m);
        }
        return m + Math.log(sum);
    }

    /**
     * With the threshold on another OOD score (negative energy of the calibrated logits z / T:
     * logsumexp(z / T), recomputed here from the logits and the fitted temperature), the threshold is the value 95%
     * of validation rows reach and a window's unfamiliar share counts the rows below it; the
     * stored reference keeps the score through its JSON.
     */
    @Test
    void theUnfamiliarThresholdCanBeOnEnergy() {
        Random rnd = new Random(10);
        int[] yv = new int[2000];
        Logits v = draw(rnd, 2000, 3.0, yv);
        Reference ref = Reference.fit(v, yv, MonitorOptions.defaults(), null, "energy");
        double t = ((org.calibkit.calibration.calibrators.TemperatureMap) ref.map()).temperature();
        double[] e = new double[2000];
        for (int i = 0; i < 2000; i++) {
            e[i] = lseOver(v, i, t);
        }
        double[] sorted = e.clone();
        java.util.Arrays.sort(sorted);
        assertEquals(sorted[100], ref.unfamiliarBelow(), 1e-9); // floor(0.05 x 2000) = 100: 1,900 rows reach it
        int[] y = new int[500];
        Logits log = draw(rnd, 500, 1.0, y);
        int below = 0;
        for (int i = 0; i < 500; i++) {
            below += lseOver(log, i, t) < ref.unfamiliarBelow() ? 1 : 0;
        }
        MonitorResult r = Monitor.run(ref, log, null, "log", MonitorOptions.defaults(), s -> { });
        assertEquals(below / 500.0, r.windows().get(0).unfamiliarShare(), 1e-12);
        assertEquals("energy", r.unfamiliarScore());
        Reference.Stored back = Reference.fromJson(ref.toJson(List.of("a", "b", "c"), "logits", 0.95), "test");
        assertEquals("energy", back.reference().unfamiliarScore());
        assertEquals(ref.unfamiliarBelow(), back.reference().unfamiliarBelow(), 0.0);
    }

    @Test
    void theClassMixTestIsPearsonsChiSquare() {
        // scipy.stats.chisquare([30, 50, 20], [40, 40, 20]).pvalue = 0.0820849986238988
        assertEquals(0.0820849986238988, Monitor.classMixP(new double[] {0.4, 0.4, 0.2}, new long[] {30, 50, 20}), 1e-12);
        // scipy.stats.chisquare([45, 35, 20], [40, 40, 20]).pvalue = 0.5352614285189903
        assertEquals(0.5352614285189903, Monitor.classMixP(new double[] {0.4, 0.4, 0.2}, new long[] {45, 35, 20}), 1e-12);
        // a class the reference never predicts: as far from its mix as it gets
        assertEquals(0.0, Monitor.classMixP(new double[] {0.5, 0.5, 0}, new long[] {10, 10, 1}), 0);
    }

    @Test
    void theJsonAndThePageShowTheAlertsFirst() throws Exception {
        Random rnd = new Random(7);
        Reference ref = reference(rnd);
        int[] y = new int[600];
        MonitorResult r = Monitor.run(ref, draw(rnd, 600, 0.0, y), null, "<script>x</script>", MonitorOptions.defaults(),
                s -> { });
        JsonNode j = Json.MAPPER.readTree(MonitorJson.toJson(r));
        assertEquals(MonitorResult.SCHEMA_VERSION, j.get("schema_version").asInt());
        assertEquals(r.alerts().size(), j.get("alerts").size());
        assertEquals(2, j.get("windows").size());
        assertTrue(j.at("/windows/0/accuracy").isNull());
        Document d = Jsoup.parse(MonitorHtml.render(r));
        assertTrue(d.select("script").isEmpty(), "the source name must stay text");
        assertEquals(r.alerts().size(), d.select("#alerts li").size());
        assertEquals(2, d.select("#series img[src^=data:image/png;base64,]").size());
    }

    @Test
    void aLogOfOtherClassesIsRefused() {
        Reference ref = reference(new Random(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Monitor.run(ref, Logits.of(new double[40], 10, 4), null, "log", MonitorOptions.defaults(), s -> { }));
        assertEquals("the log has 4 output columns, but the reference has 3 classes", e.getMessage());
    }
}
