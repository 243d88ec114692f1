package org.calibkit.report.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;

import org.calibkit.calibration.Logits;
import org.junit.jupiter.api.Test;

/**
 * A window summed in chunks and merged, in any grouping, gives the window of its rows added at
 * once (the reference: {@link Monitor#run} on the whole window, the existing code path); the
 * counts exactly, the sums to 1e-12 relative. The unfamiliar share and realised accuracy are
 * also counted here row by row.
 */
class WindowStateTest {
    private static final int K = 3;

    @Test
    void chunksMergedInAnyGroupingEqualTheWholeWindow() {
        Random rnd = new Random(9);
        double[][] v = new double[3000][K];
        int[] yv = new int[3000];
        for (int i = 0; i < v.length; i++) {
            yv[i] = rnd.nextInt(K);
            for (int j = 0; j < K; j++) {
                v[i][j] = rnd.nextGaussian() + (j == yv[i] ? 2.5 : 0);
            }
        }
        MonitorOptions o = MonitorOptions.defaults().withWindow(700);
        Reference ref = Reference.fit(Logits.of(v), yv, o);
        double[][] w = new double[700][K];
        int[] y = new int[700];
        for (int i = 0; i < w.length; i++) {
            y[i] = i % 4 == 0 ? -1 : rnd.nextInt(K);   // a quarter without labels
            for (int j = 0; j < K; j++) {
                w[i][j] = 1.3 * rnd.nextGaussian() + (j == Math.max(0, y[i]) ? 1.5 : 0);
            }
        }
        Logits z = Logits.of(w);
        MonitorResult.Window whole = Monitor.run(ref, z, y, "log", o, line -> { }).windows().get(0);
        int[][] cuts = {{0, 100, 350, 700}, {0, 1, 699, 700}, {0, 233, 466, 700}};
        for (int[] c : cuts) {
            WindowState[] parts = new WindowState[c.length - 1];
            for (int p = 0; p < parts.length; p++) {
                int[] idx = java.util.stream.IntStream.range(c[p], c[p + 1]).toArray();
                parts[p] = new WindowState(ref, o.bins()).add(ref, z.select(idx),
                        java.util.Arrays.copyOfRange(y, c[p], c[p + 1]), c[p]);
            }
            // (a + b) + c and a + (b + c)
            WindowState left = new WindowState(ref, o.bins()).merge(parts[0]).merge(parts[1]).merge(parts[2]);
            WindowState right = new WindowState(ref, o.bins()).merge(parts[0])
                    .merge(new WindowState(ref, o.bins()).merge(parts[1]).merge(parts[2]));
            for (WindowState s : List.of(left, right)) {
                MonitorResult.Window got = Monitor.ofStates(ref, List.of(new Monitor.NamedState("rows 0-699", 0, s)),
                        "log", "700 rows", o, line -> { }).windows().get(0);
                assertEquals(whole.rows(), got.rows());
                assertEquals(whole.labelled(), got.labelled());
                assertEquals(whole.unfamiliarShare(), got.unfamiliarShare(), 0.0);
                assertEquals(whole.classMixP(), got.classMixP(), 0.0);
                assertEquals(whole.accuracy(), got.accuracy(), 0.0);
                assertEquals(whole.ece(), got.ece(), 1e-12);
                assertEquals(whole.meanConfidence(), got.meanConfidence(), 1e-12);
                for (int e = 0; e < whole.estimates().size(); e++) {
                    assertEquals(whole.estimates().get(e).accuracy(), got.estimates().get(e).accuracy(), 1e-12);
                }
            }
        }
        // counted here row by row: rows below the threshold, correct labelled rows
        org.calibkit.calibration.Probabilities p = ref.map().apply(z);
        double[] top = p.maxProbability();
        int[] am = p.argmax();
        int below = 0;
        int labelled = 0;
        int hit = 0;
        for (int i = 0; i < 700; i++) {
            below += top[i] < ref.unfamiliarBelow() ? 1 : 0;
            if (y[i] >= 0) {
                labelled++;
                hit += am[i] == y[i] ? 1 : 0;
            }
        }
        assertEquals(below / 700.0, whole.unfamiliarShare(), 0.0);
        assertEquals(525, labelled);
        assertEquals(labelled, whole.labelled());
        assertEquals((double) hit / labelled, whole.accuracy(), 1e-15);
    }

    @Test
    void statesOfOtherShapesDoNotMerge() {
        Random rnd = new Random(3);
        double[][] v = new double[200][K];
        int[] y = new int[200];
        for (int i = 0; i < v.length; i++) {
            y[i] = rnd.nextInt(K);
            for (int j = 0; j < K; j++) {
                v[i][j] = rnd.nextGaussian() + (j == y[i] ? 2 : 0);
            }
        }
        Reference ref = Reference.fit(Logits.of(v), y, MonitorOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowState(ref, 15).merge(new WindowState(ref, 10)));
        assertEquals("cannot merge a window state of 3 classes, 10 bins and 2 estimators into one of 3, 15 and 2",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WindowState(ref, 15).add(ref,
                Logits.of(new double[][] {{1, 2, 3, 4}}), null, 0));
    }
}
