package org.calibkit.report.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.CalibrationMethod;
import org.calibkit.calibration.shift.LabelledLogits;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.AuditFixture;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.doctor.DoctorSection;
import org.calibkit.report.render.Json;
import org.calibkit.report.shift.ShiftSet;
import org.calibkit.report.shift.SweepOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * {@link AuditJson#readResult}: a written report loads back as a result that writes the same JSON
 * (audits built through {@link Audit#ofPredictions} / {@link Audit#ofOutputs} on small seeded
 * predictions), the typed values are the audit's, and bad files are refused with one line naming
 * the file and the key.
 */
class AuditJsonReadTest {
    private static final List<String> CLASSES = List.of("w", "x", "y", "z");

    /**
     * Logits of a K-class model that is overconfident: the true class gets a boost of
     * {@code 2.5 signal} plus noise, all scaled by 2.5 (as the golden audit's prediction files).
     */
    static SavedPredictions.Split split(Random rnd, int n, int k, double signal) {
        double[][] z = new double[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
            for (int c = 0; c < k; c++) {
                z[i][c] = 2.5 * (rnd.nextGaussian() + (c == y[i] ? 2.5 * signal : 0));
            }
        }
        return new SavedPredictions.Split(Logits.of(z), y);
    }

    static Logits unlabelled(Random rnd, int n, int k) {
        double[][] z = new double[n][k];
        for (double[] row : z) {
            for (int c = 0; c < k; c++) {
                row[c] = 3 * rnd.nextGaussian();
            }
        }
        return Logits.of(z);
    }

    private static AuditResult audit(long seed, boolean validation, boolean probes) {
        Random rnd = new Random(seed);
        SavedPredictions.Split test = split(rnd, 200, 4, 1.0);
        Optional<SavedPredictions.Split> val = validation ? Optional.of(split(rnd, 150, 4, 1.0)) : Optional.empty();
        Map<String, Logits> p = new LinkedHashMap<>();
        if (probes) {
            p.put("ood", unlabelled(rnd, 60, 4));
            p.put("faint", split(rnd, 80, 4, 0.4).logits());
        }
        SavedPredictions sp = new SavedPredictions(CLASSES, OutputKind.LOGITS, Head.SOFTMAX, test, val, p);
        return Audit.ofPredictions(sp, AuditOptions.defaults().withResamples(20).withSeed(seed));
    }

    private static AuditResult readBack(AuditResult r, Path dir) {
        Path file = dir.resolve("report.json");
        AuditJson.write(r, file);
        return AuditJson.readResult(file);
    }

    @Test
    void aCalibratedAuditWithProbesWritesTheSameJsonAfterReadingItBack(@TempDir Path dir) {
        AuditResult r = audit(29, true, true);
        assertNotNull(r.test().calibrated(), "a validation split: calibrated");
        assertNotNull(r.statistics());
        assertTrue(!r.statistics().conformal().isEmpty(), "a validation split: conformal sets");
        AuditResult back = readBack(r, dir);
        assertEquals(AuditJson.toJson(r), AuditJson.toJson(back));
    }

    /** Every calibration map writes its own parameters (arrays, counts, flags): each reads back. */
    @ParameterizedTest
    @MethodSource("methods")
    void everyCalibrationMethodsParametersReadBack(String method, @TempDir Path dir) {
        Random rnd = new Random(41);
        SavedPredictions sp = new SavedPredictions(CLASSES, OutputKind.LOGITS, Head.SOFTMAX, split(rnd, 160, 4, 1.0),
                Optional.of(split(rnd, 160, 4, 1.0)), Map.of());
        AuditResult r = Audit.ofPredictions(sp, AuditOptions.defaults().withResamples(10).withCalibration(method));
        assertEquals(method, r.test().method());
        AuditResult back = readBack(r, dir);
        assertEquals(AuditJson.toJson(r), AuditJson.toJson(back));
        assertEquals(r.test().parameters().keySet(), back.test().parameters().keySet());
    }

    static List<String> methods() {
        return CalibrationMethod.ids();
    }

    @Test
    void anUncalibratedAuditWritesTheSameJsonAfterReadingItBack(@TempDir Path dir) {
        AuditResult r = audit(31, false, true);
        assertNull(r.test().calibrated());
        AuditResult back = readBack(r, dir);
        assertEquals(AuditJson.toJson(r), AuditJson.toJson(back));
        assertNull(back.test().calibrated());
        assertNull(back.test().binsAfter());
    }

    /**
     * The test split's accuracy and reliability bins of the result read back, against the same
     * numbers computed here from the logits: arg-max against the label, the softmax's top
     * probability, and the documented bin of a confidence c, {@code ceil(c B) - 1}.
     */
    @Test
    void theTypedValuesReadBackAreTheAuditsNumbers(@TempDir Path dir) {
        Random rnd = new Random(29);
        SavedPredictions.Split test = split(rnd, 200, 4, 1.0); // the same draws as audit(29, ...)'s test split
        AuditResult back = readBack(audit(29, true, true), dir);
        double[][] z = new double[200][4];
        Logits logits = test.logits();
        int bins = back.settings().bins();
        long[] counts = new long[bins];
        double[] confSums = new double[bins];
        int correct = 0;
        int[] y = test.labels();
        for (int i = 0; i < 200; i++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < 4; c++) {
                z[i][c] = logits.get(i, c);
                if (z[i][c] > max) {
                    max = z[i][c];
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                sum += Math.exp(z[i][c] - max);
            }
            double top = 1 / sum;
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(top * bins) - 1));
            counts[b]++;
            confSums[b] += top;
            correct += arg == y[i] ? 1 : 0;
        }
        assertEquals(200, back.test().n());
        assertEquals(correct / 200.0, back.test().uncalibrated().accuracy(), 1e-15);
        ReliabilityBins before = back.test().binsBefore();
        for (int b = 0; b < bins; b++) {
            assertEquals(counts[b], before.count(b), "bin " + b);
            if (counts[b] > 0) {
                assertEquals(confSums[b] / counts[b], before.meanConfidence(b), 1e-12, "bin " + b);
            }
        }
        assertEquals(List.of("ood", "faint"), back.probes().stream().map(AuditResult.ProbeResult::name).toList());
        assertEquals(60, back.probes().get(0).count());
    }

    @Test
    void nanIsNullInTheFileAndNanAgainWhenRead(@TempDir Path dir) throws IOException {
        AuditResult r = audit(31, false, true);
        Path file = dir.resolve("report.json");
        AuditJson.write(r, file);
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
        // no calibration: no calibrated per-class ECE; an unlabelled probe: no accuracy
        assertTrue(root.at("/test/per_class/0/ece_calibrated").isNull());
        assertTrue(root.at("/probes/0/accuracy").isNull());
        AuditResult back = AuditJson.readResult(file);
        assertTrue(Double.isNaN(back.test().perClass().get(0).eceCalibrated()));
        assertTrue(Double.isNaN(back.probes().get(0).accuracy()));
        assertTrue(Double.isNaN(back.test().temperature()), "no temperature key: NaN");
    }

    @Test
    void shiftSweepsAndTheirEstimatesReadBack(@TempDir Path dir) {
        Random rnd = new Random(7);
        SavedPredictions p = new SavedPredictions(CLASSES, OutputKind.LOGITS, Head.SOFTMAX, split(rnd, 120, 4, 1.0),
                Optional.of(split(rnd, 120, 4, 1.0)), Map.of());
        List<ShiftSet> sets = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            SavedPredictions.Split s = split(rnd, 60, 4, 1.0 - 0.3 * step);
            sets.add(new ShiftSet("spin", "degrees", 45 * step, new LabelledLogits("spin/" + 45 * step, s.logits(),
                    s.labels())));
        }
        ModelOutputs outputs = ModelOutputs.of(p).withShifts(new ModelOutputs.Shifts(sets, SweepOptions.defaults(),
                Optional.empty()));
        AuditResult r = Audit.ofOutputs(outputs, AuditOptions.defaults().withResamples(20));
        assertNotNull(r.shift());
        assertNotNull(r.shift().estimates(), "a validation split: label-free estimates");
        AuditResult back = readBack(r, dir);
        assertEquals(AuditJson.toJson(r), AuditJson.toJson(back));
        assertEquals(3, back.shift().sweeps().points().size());
        assertEquals(60, back.shift().estimates().rows().get(0).estimate().n());
    }

    /** The doctor's section cannot come from saved predictions: the fixture's, ran and skipped. */
    @Test
    void theDoctorsSectionReadsBack(@TempDir Path dir) {
        AuditResult ran = AuditFixture.small().withDoctor(DoctorSection.of(AuditFixture.doctorResult(false)));
        assertEquals(AuditJson.toJson(ran), AuditJson.toJson(readBack(ran, dir)));
        AuditResult skipped = AuditFixture.small().withDoctor(DoctorSection.skipped("no image files"));
        AuditResult back = readBack(skipped, dir);
        assertEquals("no image files", back.doctor().skipReason());
        assertEquals(AuditJson.toJson(skipped), AuditJson.toJson(back));
    }

    // ------------------------------------------------------------------ bad input

    private static CalibkitException refused(Path file) {
        CalibkitException e = assertThrows(CalibkitException.class, () -> AuditJson.readResult(file));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private static Path written(Path dir, ObjectNode root) throws IOException {
        Path file = dir.resolve("report.json");
        Files.writeString(file, Json.writePretty(root), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        String text = AuditJson.toJson(audit(31, false, false));
        Path file = dir.resolve("report.json");
        Files.writeString(file, text.substring(0, text.length() / 2));
        long lines = text.substring(0, text.length() / 2).lines().count();
        String m = refused(file).getMessage();
        assertTrue(m.contains("is not valid JSON at line " + lines), m);
    }

    @Test
    void anotherSchemaVersionIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        ObjectNode root = AuditJson.tree(audit(31, false, false));
        root.put("schema_version", 2);
        String m = refused(written(dir, root)).getMessage();
        assertTrue(m.contains("schema_version 2") && m.contains("reads version 1"), m);
    }

    @Test
    void aMissingKeyIsNamedByItsPath(@TempDir Path dir) throws IOException {
        ObjectNode root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.at("/test/per_class/2")).remove("ece");
        Path file = written(dir, root);
        assertEquals(file + ": test.per_class[2].ece: missing", refused(file).getMessage());

        root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.at("/test/uncalibrated")).remove("brier");
        assertEquals(file + ": test.uncalibrated.brier: missing", refused(written(dir, root)).getMessage());

        root = AuditJson.tree(audit(31, false, true));
        root.remove("probes");
        assertEquals(file + ": probes: missing", refused(written(dir, root)).getMessage());
    }

    @Test
    void aWrongTypeIsNamedByItsPath(@TempDir Path dir) throws IOException {
        ObjectNode root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.get("test")).put("n", "two hundred");
        Path file = written(dir, root);
        assertEquals(file + ": test.n: Cannot coerce String value (\"two hundred\") to `int` value",
                refused(file).getMessage());
        String m;

        root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.at("/test/per_class/0")).put("ece", "low");
        m = refused(written(dir, root)).getMessage();
        assertTrue(m.contains(": test.per_class[0].ece: expected a number or null, but got a string"), m);

        root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.at("/verdicts/1")).put("status", "great");
        m = refused(written(dir, root)).getMessage();
        assertTrue(m.contains(": verdicts[1].status: expected one of pass, info, warn, fail, but got 'great'"), m);

        root = AuditJson.tree(audit(31, false, true));
        ((ObjectNode) root.get("test")).put("n", 200.5);
        // a fraction is no count
        assertEquals(file + ": test.n: Cannot coerce Floating-point value (200.5) to `int` value",
                refused(written(dir, root)).getMessage());
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsParsed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(AuditJson.MAX_BYTES + 1); // sparse: no data written
        }
        String m = refused(file).getMessage();
        assertTrue(m.contains((AuditJson.MAX_BYTES + 1) + " bytes, more than the 256 MB"), m);
    }

    @Test
    void aReaderNamesItsSourceAndAMissingFileIsOneLine(@TempDir Path dir) {
        CalibkitException e = assertThrows(CalibkitException.class,
                () -> AuditJson.readResult(new StringReader("[1, 2]"), "upload.json"));
        assertEquals("upload.json is not a calibkit audit: expected a JSON object, but got array", e.getMessage());
        refused(dir.resolve("absent.json"));
    }

    /** The JSON never names a Java class: no default typing, no polymorphic reading of untrusted files. */
    @Test
    void defaultTypingIsOff() {
        assertNull(JsonBinding.MAPPER.getDeserializationConfig().getDefaultTyper(
                TypeFactory.defaultInstance().constructType(Object.class)));
    }
}
