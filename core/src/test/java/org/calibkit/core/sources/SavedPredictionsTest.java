package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.io.PredictionFiles;
import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved predictions: files written here (NumPy .npy through calibration's writer, CSV by hand).
 * The probabilities are softmax rows of known logits, computed in this test with Math.exp; the
 * logits recovered from them must equal the known ones up to a per-row constant.
 */
class SavedPredictionsTest {
    private static final double[][] Z = {{2.0, 0.5, -1.0}, {-0.3, 0.1, 0.4}, {1.5, 1.5, -2.0}, {0, -3, 3}};
    private static final int[] Y = {0, 2, 1, 2};

    @TempDir
    Path dir;

    private static double[][] softmax(double[][] z) {
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double s = 0;
            p[i] = new double[z[i].length];
            for (int j = 0; j < z[i].length; j++) {
                p[i][j] = Math.exp(z[i][j]);
                s += p[i][j];
            }
            for (int j = 0; j < z[i].length; j++) {
                p[i][j] /= s;
            }
        }
        return p;
    }

    private Path npy(String name, double[][] m) {
        double[] flat = Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
        Path f = dir.resolve(name);
        PredictionFiles.writeNpy(f, flat, m.length, m[0].length);
        return f;
    }

    private Path labels(String name, int[] y) {
        Path f = dir.resolve(name);
        PredictionFiles.writeNpy(f, y);
        return f;
    }

    private Path csv(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static double[] centred(double[] row) {
        double m = Arrays.stream(row).average().orElseThrow();
        return Arrays.stream(row).map(v -> v - m).toArray();
    }

    private static String message(Runnable r) {
        return assertThrows(CalibkitException.class, r::run).getMessage();
    }

    @Test
    void probabilitiesWithValidationAndProbesAreDetectedAndTurnedIntoLogits() throws Exception {
        double[][] p = softmax(Z);
        StringBuilder val = new StringBuilder("p0,p1,p2\n");
        for (double[] row : p) {
            val.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append('\n');
        }
        Map<String, Path> probes = new LinkedHashMap<>();
        probes.put("noise", npy("noise.npy", softmax(new double[][] {{0.1, 0.2, 0.3}, {5, 0, 0}})));
        probes.put("blank", npy("blank.npy", softmax(new double[][] {{1, 1, 1}})));
        SavedPredictions s = SavedPredictions.read(npy("test.npy", p), labels("y.npy", Y), csv("val.csv", val.toString()),
                csv("yval.csv", "0\n2\n1\n2\n"), probes, ModelOptions.defaults().withClassNames(List.of("cat", "dog", "owl")));
        assertEquals(OutputKind.PROBABILITIES, s.outputKind());
        assertEquals(Head.SOFTMAX, s.head());
        assertEquals(List.of("cat", "dog", "owl"), s.classNames());
        assertArrayEquals(Y, s.test().labels());
        assertArrayEquals(Y, s.validation().orElseThrow().labels());
        assertEquals(List.of("noise", "blank"), List.copyOf(s.probes().keySet()));
        for (int i = 0; i < Z.length; i++) {
            assertArrayEquals(centred(Z[i]), centred(s.test().logits().row(i)), 1e-12, "test row " + i);
            assertArrayEquals(centred(Z[i]), centred(s.validation().orElseThrow().logits().row(i)), 1e-12, "validation row " + i);
        }
        assertArrayEquals(new double[] {10 / 3.0, -5 / 3.0, -5 / 3.0}, centred(s.probes().get("noise").row(1)), 1e-12);
    }

    @Test
    void logitsAndStatedKindsAreKept() {
        SavedPredictions s = SavedPredictions.read(npy("z.npy", Z), labels("y.npy", Y));
        assertEquals(OutputKind.LOGITS, s.outputKind());
        assertEquals(List.of("0", "1", "2"), s.classNames());
        assertArrayEquals(Z[3], s.test().logits().row(3), 0);
        assertTrue(s.validation().isEmpty());
        // independent probabilities stated (a one-vs-rest model's sigmoid outputs)
        double[][] q = {{0.9, 0.5, 0.25}, {0.1, 0.2, 0.3}, {0.5, 0.5, 0.5}, {0.7, 0.2, 0.1}};
        SavedPredictions ovr = SavedPredictions.read(npy("q.npy", q), labels("y.npy", Y), null, null, Map.of(),
                ModelOptions.defaults().withOutputKind(OutputKind.INDEPENDENT_PROBABILITIES));
        assertEquals(Head.SIGMOID, ovr.head());
        assertEquals(Math.log(9), ovr.test().logits().get(0, 0), 1e-12); // logit(0.9) = ln 9
    }

    @Test
    void everyBadInputGivesOneClearError() throws Exception {
        Path z = npy("z.npy", Z);
        Path y = labels("y.npy", Y);
        Path missing = dir.resolve("nope.npy");
        assertEquals("predictions file " + missing + " does not exist", message(() -> SavedPredictions.read(missing, y)));
        assertEquals("labels file " + missing + " does not exist", message(() -> SavedPredictions.read(z, missing)));
        Path nan = csv("nan.csv", "1,2,3\n4,NaN,6\n");
        String m = message(() -> SavedPredictions.read(nan, labels("y2.npy", new int[] {0, 1})));
        assertTrue(m.startsWith("predictions file " + nan) && m.contains("line 2, column 2: expected a finite number, got 'NaN'"), m);
        byte[] good = Files.readAllBytes(z);
        Path truncated = Files.write(dir.resolve("trunc.npy"), Arrays.copyOf(good, good.length - 5));
        String t = message(() -> SavedPredictions.read(truncated, y));
        assertTrue(t.startsWith("predictions file " + truncated + ": truncated"), t);
        assertEquals("labels file " + dir.resolve("short.npy") + " has 3 labels, but z.npy has 4 rows",
                message(() -> SavedPredictions.read(z, labels("short.npy", new int[] {0, 1, 2}))));
        assertEquals("labels file " + dir.resolve("big.npy") + ": label 3 at index 1 is outside [0, 3) for 3 classes",
                message(() -> SavedPredictions.read(z, labels("big.npy", new int[] {0, 3, 1, 2}))));
        Path probs = npy("p.npy", softmax(Z));
        assertEquals("predictions file " + probs + " holds probabilities, but z.npy holds logits; save every split the "
                        + "same way, or state the output kind",
                message(() -> SavedPredictions.read(z, y, null, null, Map.of("noise", probs), ModelOptions.defaults())));
        String kind = message(() -> SavedPredictions.read(probs, y, null, null, Map.of("noise", z), ModelOptions.defaults()));
        assertEquals("predictions file " + z + " (detected from the test file as probabilities): Expected probabilities in"
                + " [0, 1], but got 2.0 at row 0, column 0", kind);
        Path four = npy("four.npy", new double[][] {{1, 2, 3, 4}});
        assertEquals("predictions file " + four + " has 4 columns, but z.npy has 3",
                message(() -> SavedPredictions.read(z, y, null, null, Map.of("x", four), ModelOptions.defaults())));
        assertEquals("validation predictions need both an outputs file and a labels file, but got only outputs " + z,
                message(() -> SavedPredictions.read(z, y, z, null, Map.of(), ModelOptions.defaults())));
    }
}
