package org.calibkit.calibration.calibrators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.junit.jupiter.api.Test;

/** Properties shared by every calibrator: JSON persistence, immutability, validation, lookup by name. */
class CalibrationMapsTest {
    private static final List<String> ALL = CalibrationMethod.ids();

    @Test
    void byNameKnowsAllMethodsAndRejectsOthers() {
        assertEquals(List.of("temperature", "vector", "matrix", "dirichlet", "histogram", "isotonic", "platt"), ALL);
        for (String name : ALL) {
            assertEquals(name, CalibrationMethod.byId(name).create().method());
            assertEquals(name, CalibrationMethod.byId(" " + name.toUpperCase() + " ").create().method());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationMethod.byId("beta").create());
        assertTrue(e.getMessage().contains("'beta'") && e.getMessage().contains("temperature, vector, matrix,"
                + " dirichlet, histogram, isotonic, platt"), e.getMessage());
    }

    @Test
    void jsonRoundTripGivesIdenticalOutputsForEveryMethod() {
        Fixture f = Fixture.csv();
        Logits unseen = f.scaled(0.7);
        for (String name : ALL) {
            CalibrationMap m = CalibrationMethod.byId(name).create().fit(f.logits, f.labels);
            String json = m.toJson();
            assertTrue(json.startsWith("{\"format\":\"calibkit-calibration-map\",\"version\":1,\"method\":\"" + name
                    + "\",\"numClasses\":4"), json);
            CalibrationMap back = CalibrationMaps.fromJson(json);
            assertEquals(m.getClass(), back.getClass());
            assertEquals(4, back.numClasses());
            assertArrayEquals(m.apply(f.logits).raw(), back.apply(f.logits).raw(), 0.0, name);
            assertArrayEquals(m.apply(unseen).raw(), back.apply(unseen).raw(), 0.0, name);
            assertEquals(json, back.toJson(), name);
        }
    }

    @Test
    void everyMethodHandlesTwoClasses() {
        Fixture f = Fixture.withTemperature(17, 500, 2, 3.0, 1.5);
        for (String name : ALL) {
            CalibrationMap m = CalibrationMethod.byId(name).create().fit(f.logits, f.labels);
            assertEquals(2, m.numClasses());
            Probabilities p = m.apply(f.logits);
            assertTrue(p.isNormalized(), name + ": K = 2 maps give distributions (Platt: binary mode)");
            for (int i = 0; i < p.n(); i++) {
                assertEquals(1.0, p.get(i, 0) + p.get(i, 1), 1e-12, name + " row " + i);
            }
            assertArrayEquals(p.raw(), CalibrationMaps.fromJson(m.toJson()).apply(f.logits).raw(), 0.0, name);
        }
    }

    @Test
    void fromJsonRefusesUnknownFormatsVersionsMethodsAndBadParameters() {
        String ok = TemperatureMap.of(3, 1.5).toJson();
        assertEquals(1.5, ((TemperatureMap) CalibrationMaps.fromJson(ok)).temperature(), 0.0);
        assertRefused(ok.replace("calibkit-calibration-map", "netcal"), "format");
        assertRefused(ok.replace("\"version\":1", "\"version\":2"), "version 2");
        assertRefused(ok.replace("\"temperature\",", "\"beta\","), "'beta'");
        assertRefused(ok.replace("\"temperature\":1.5", "\"temperature\":-1.5"), "temperature > 0");
        assertRefused(ok.replace("\"temperature\":1.5", "\"temperature\":\"NaN\""), "temperature");
        assertRefused(ok.replace("\"numClasses\":3", "\"numClasses\":1"), "numClasses");
        assertRefused("{\"format\":", "not valid JSON");
        assertRefused("[1,2]", "JSON object");

        Fixture f = Fixture.csv();
        String dir = new DirichletCalibration().fit(f.logits, f.labels).toJson();
        assertRefused(dir.replaceFirst("\"bias\":\\[[^,]*,", "\"bias\":["), "bias to have 4 entries");
        assertRefused(dir.replaceFirst("\"weights\":\\[\\[[^,]*,", "\"weights\":[[\"NaN\","), "weights[0][0]");
        assertRefused(dir.replace("\"log_probabilities\"", "\"logits\""), "input");
        String iso = new IsotonicCalibration().fit(f.logits, f.labels).toJson();
        assertRefused(iso.replaceFirst("\"values\":\\[[^\\]]*\\]", "\"values\":[0.5]"), "values to have");
        String hist = new HistogramBinning().fit(f.logits, f.labels).toJson();
        assertRefused(hist.replace("\"numBins\":10", "\"numBins\":9"), "binValues[0] to have 9 entries");
        String platt = new PlattScaling().fit(f.logits, f.labels).toJson();
        assertRefused(platt.replace("one_vs_rest", "binary"), "needs numClasses 2");
    }

    private static void assertRefused(String json, String expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationMaps.fromJson(json),
                json);
        assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' lacks '"
                + expectedInMessage + "'");
    }

    @Test
    void writesAtomicallyAndReadsBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Fixture f = Fixture.csv();
        CalibrationMap m = new DirichletCalibration().fit(f.logits, f.labels);
        java.nio.file.Path file = dir.resolve("calibration.json");
        CalibrationMaps.write(m, file);
        CalibrationMaps.write(m, file);   // replaces
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            assertEquals(List.of(file), files.collect(java.util.stream.Collectors.toList()), "no temp files left");
        }
        assertArrayEquals(m.apply(f.logits).raw(), CalibrationMaps.read(file).apply(f.logits).raw(), 0.0);
        java.nio.file.Files.writeString(file, m.toJson().replace("\"version\":1", "\"version\":7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationMaps.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("version 7"), e.getMessage());
    }

    @Test
    void mapsAndTrainersAreImmutable() throws Exception {
        Fixture f = Fixture.csv();
        for (String name : ALL) {
            Calibrator c = CalibrationMethod.byId(name).create();
            assertAllFieldsFinal(c.getClass());
            CalibrationMap m = c.fit(f.logits, f.labels);
            assertAllFieldsFinal(m.getClass());
            Probabilities before = m.apply(f.logits);
            // accessors hand out copies: scribbling on them changes nothing
            for (Object v : m.parameters().values()) {
                scribble(v);
            }
            if (m instanceof LinearMap) {
                ((LinearMap) m).weights()[0][0] = 99;
                ((LinearMap) m).bias()[0] = 99;
            }
            if (m instanceof PlattMap) {
                ((PlattMap) m).a()[0] = 99;
            }
            assertThrows(UnsupportedOperationException.class, () -> m.parameters().put("x", 1));
            assertArrayEquals(before.raw(), m.apply(f.logits).raw(), 0.0, name);
            // fitting again gives a new map with the same outputs: fit does not mutate the trainer
            assertArrayEquals(before.raw(), c.fit(f.logits, f.labels).apply(f.logits).raw(), 0.0, name);
        }
    }

    private static void scribble(Object v) {
        if (v instanceof double[]) {
            java.util.Arrays.fill((double[]) v, 42);
        } else if (v instanceof double[][]) {
            for (double[] row : (double[][]) v) {
                java.util.Arrays.fill(row, 42);
            }
        } else if (v instanceof long[][]) {
            for (long[] row : (long[][]) v) {
                java.util.Arrays.fill(row, 42);
            }
        }
    }

    private static void assertAllFieldsFinal(Class<?> c) {
        for (Field fd : c.getDeclaredFields()) {
            assertTrue(Modifier.isFinal(fd.getModifiers()), c.getSimpleName() + "." + fd.getName() + " is not final");
        }
    }

    @Test
    void everyMethodValidatesLabelsAndClasses() {
        Fixture f = Fixture.csv();
        int[] bad = f.labels.clone();
        bad[11] = -1;
        for (String name : ALL) {
            Calibrator c = CalibrationMethod.byId(name).create();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.fit(f.logits, bad));
            assertTrue(e.getMessage().contains("labels") && e.getMessage().contains("-1")
                    && e.getMessage().contains("row 11"), name + ": " + e.getMessage());
            CalibrationMap m = c.fit(f.logits, f.labels);
            e = assertThrows(IllegalArgumentException.class, () -> m.apply(Logits.of(new double[][] {{1, 2, 3}})));
            assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains(name)
                    && e.getMessage().contains("got 3"), name + ": " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Logits.of(new double[][] {{1, 2}, {Double.NaN, 0}}));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test
    void saturatedLogitsNeverGiveNaNForAnyMethod() {
        double[][] z = new double[40][];
        int[] y = new int[40];
        java.util.Random rnd = new java.util.Random(9);
        for (int i = 0; i < z.length; i++) {
            z[i] = new double[] {rnd.nextInt(3) * 1e4 - 1e4, rnd.nextInt(3) * 1e4 - 1e4, rnd.nextGaussian(), 0};
            y[i] = rnd.nextInt(4);
        }
        Logits logits = Logits.of(z);
        for (String name : ALL) {
            Calibrator c = name.equals("vector") ? new VectorScaling(0, 1e-2, 1e-6, 2000, true) : CalibrationMethod.byId(name).create();
            Probabilities p = c.fit(logits, y).apply(logits);
            for (double v : p.raw()) {
                assertFalse(Double.isNaN(v), name);
            }
        }
    }
}
