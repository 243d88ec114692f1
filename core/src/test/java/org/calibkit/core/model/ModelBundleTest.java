package org.calibkit.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.train.CnnOptions;
import org.calibkit.core.train.CnnTrainer;
import org.calibkit.core.train.L2Constraint;
import org.calibkit.core.train.LogisticTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelBundleTest {
    private ImageSet train;
    private ImageSet probe;
    private ModelBundle logistic;
    private ModelBundle cnn;
    @TempDir
    Path dir;

    @BeforeAll
    void train() {
        train = SyntheticImages.bars(300, 10, 1, 28, 1, "train");
        probe = SyntheticImages.bars(40, 10, 1, 28, 2, "probe");
        logistic = new LogisticTrainer(1, 1, 0.1, 1).train(train, null, s -> { });
        cnn = new CnnTrainer(CnnOptions.defaults().withEpochs(1).withBatch(32).withHead(Head.SIGMOID).withL2(L2Constraint.learned(16)).withSeed(1)).train(train, null, s -> { });
    }

    @AfterAll
    void close() {
        cnn.close();
    }

    @Test
    void roundTripGivesIdenticalLogitsAndMetadata() {
        for (ModelBundle b : List.of(logistic, cnn)) {
            Path f = dir.resolve(b.kind().id() + ".ckb");
            ModelBundle withCal = b.withCalibration(TemperatureMap.of(b.classNames().size(), 1.5));
            withCal.save(f);
            try (ModelBundle back = ModelBundle.load(f)) {
                assertArrayEquals(b.logits(probe).raw(), back.logits(probe).raw(), 0, b.kind() + " logits differ after load");
                assertEquals(b.kind(), back.kind());
                assertEquals(b.head(), back.head());
                assertEquals(b.classNames(), back.classNames());
                assertEquals(b.preprocessing(), back.preprocessing());
                assertEquals(b.trainingData(), back.trainingData());
                assertEquals(b.seed(), back.seed());
                assertEquals(b.hyperparameters(), back.hyperparameters());
                assertEquals(b.metrics(), back.metrics());
                // the typed map comes back as the same temperature, and calibrates the same way
                TemperatureMap t = (TemperatureMap) back.calibration().orElseThrow();
                assertEquals(1.5, t.temperature(), 0);
                assertArrayEquals(b.logits(probe).divide(1.5).softmax().raw(), t.apply(back.logits(probe)).raw(), 0);
                // the Tribuo model inside is usable by Tribuo itself
                assertEquals(b.tribuoModel().getClass(), back.tribuoModel().getClass());
            }
        }
        assertEquals(Head.SIGMOID, cnn.head());
        assertEquals("learned", cnn.hyperparameters().get("l2_alpha").asText());
    }

    @Test
    void savingIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("atomic.ckb");
        Files.writeString(f, "old content");
        logistic.save(f);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("atomic.ckb"), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.startsWith("atomic")).toList());
        }
        assertEquals(ModelBundle.FORMAT, new ObjectMapper().readTree(entry(f, ModelBundle.MANIFEST)).get("format").asText());
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // not the owner-only mode of the temporary file it was written to
            assertTrue(Files.getPosixFilePermissions(f).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
        }
    }

    /**
     * The preprocessing read from the manifest alone is the loaded bundle's (the trained model's own,
     * the reference); a file that is not a readable bundle gives nothing instead of an error.
     */
    @Test
    void peekingGivesTheLoadedPreprocessingOrNothing() throws IOException {
        for (ModelBundle b : List.of(logistic, cnn)) {
            Path f = dir.resolve("peek-" + b.kind().id() + ".ckb");
            b.save(f);
            assertEquals(java.util.Optional.of(b.preprocessing()), ModelBundle.peekPreprocessing(f));
            try (ModelBundle back = ModelBundle.load(f)) {
                assertEquals(back.preprocessing().scale(), ModelBundle.peekPreprocessing(f).orElseThrow().scale(), 0);
            }
        }
        Path text = dir.resolve("not-a-bundle.ckb");
        Files.writeString(text, "not a zip");
        assertTrue(ModelBundle.peekPreprocessing(text).isEmpty());
        assertTrue(ModelBundle.peekPreprocessing(dir.resolve("missing.ckb")).isEmpty());
        Path good = dir.resolve("peek-good.ckb");
        logistic.save(good);
        Path noManifest = dir.resolve("peek-bad-manifest.ckb");
        rewrite(good, noManifest, ModelBundle.MANIFEST, "{\"format\": \"something else\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(ModelBundle.peekPreprocessing(noManifest).isEmpty());
    }

    private static byte[] entry(Path f, String name) throws IOException {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(f))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                if (e.getName().equals(name)) {
                    return z.readAllBytes();
                }
            }
        }
        throw new IOException("no " + name);
    }

    private static void rewrite(Path from, Path to, String name, byte[] replacement) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(from)); ZipOutputStream w = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                byte[] bytes = z.readAllBytes();
                w.putNextEntry(new ZipEntry(e.getName()));
                w.write(e.getName().equals(name) ? replacement : bytes);
                w.closeEntry();
            }
        }
        Files.write(to, out.toByteArray());
    }

    private static String loadError(Path f) {
        return assertThrows(CalibkitException.class, () -> ModelBundle.load(f)).getMessage();
    }

    @Test
    void damagedBundlesAreRefusedWithTheFileAndTheProblem() throws IOException {
        Path good = dir.resolve("good.ckb");
        logistic.save(good);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.ckb");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        String m = loadError(truncated);
        assertTrue(m.contains("truncated.ckb") && (m.contains("truncated") || m.contains("damaged")), m);

        // flip one byte inside every stretch of the file: each must be caught (zip CRC,
        // zip structure, or the manifest's SHA-256 of the model entry)
        for (int pos : new int[] {bytes.length / 3, bytes.length / 2, (int) (bytes.length * 0.8)}) {
            byte[] flipped = bytes.clone();
            flipped[pos] ^= 0x5A;
            Path f = dir.resolve("flipped-" + pos + ".ckb");
            Files.write(f, flipped);
            String msg = loadError(f);
            assertTrue(msg.contains("flipped-" + pos + ".ckb"), msg);
        }

        Path future = dir.resolve("future.ckb");
        String manifest = new String(entry(good, ModelBundle.MANIFEST), StandardCharsets.UTF_8);
        rewrite(good, future, ModelBundle.MANIFEST, manifest.replaceFirst("\"version\" : 1", "\"version\" : 99").getBytes(StandardCharsets.UTF_8));
        m = loadError(future);
        assertTrue(m.contains("future.ckb") && m.contains("version 99"), m);

        Path otherModel = dir.resolve("sha.ckb");
        byte[] model = entry(good, ModelBundle.MODEL);
        model[model.length / 2] ^= 1;
        rewrite(good, otherModel, ModelBundle.MODEL, model);
        m = loadError(otherModel);
        assertTrue(m.contains("SHA-256") && m.contains(ModelBundle.MODEL), m);

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a model");
        m = loadError(text);
        assertTrue(m.contains("notes.txt") && m.contains("not a calibkit model bundle"), m);

        m = loadError(dir.resolve("missing.ckb"));
        assertTrue(m.contains("missing.ckb") && m.contains("does not exist"), m);
    }

    @Test
    void wrongPixelRangeIsRefusedWithTheNumbersUnlessOverridden() {
        float[] px = probe.rawPixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] /= 255f;
        }
        ImageSet scaled = new ImageSet(px, probe.labels(), 1, 28, 28, probe.classNames(), probe.origin());
        for (ModelBundle b : List.of(logistic, cnn)) {
            CalibkitException e = assertThrows(CalibkitException.class, () -> b.logits(scaled));
            assertTrue(e.getMessage().contains("already scaled") && e.getMessage().contains("max 0.9")
                    && e.getMessage().contains("[0, 255]"), e.getMessage());
            // deliberately overridden (as the audit does): it predicts, but on the wrong scale
            double[] z = b.view(false, true).logits(scaled).raw();
            assertFalse(Arrays.equals(z, b.logits(probe).raw()));
            assertArrayEquals(z, b.withoutRangeCheck().logits(scaled).raw(), 0);
            // skipping the preprocessing altogether on raw pixels also runs
            assertEquals(probe.size(), b.view(true, false).logits(probe).n());
        }
    }

    @Test
    void probabilitiesFollowTheHead() {
        Probabilities p = logistic.probabilities(probe);
        assertTrue(p.isNormalized());
        for (int i = 0; i < p.n(); i++) {
            assertEquals(1.0, Arrays.stream(p.row(i)).sum(), 1e-9);
        }
        Logits z = cnn.logits(probe);
        Probabilities q = cnn.probabilities(probe);
        assertFalse(q.isNormalized());
        for (int i = 0; i < z.n(); i++) {
            for (int c = 0; c < z.k(); c++) {
                // the logistic function written out, independently of Softmax.sigmoid
                assertEquals(1 / (1 + Math.exp(-z.get(i, c))), q.get(i, c), 1e-12);
            }
        }
        assertArrayEquals(new double[] {0.5, 0.5}, Head.SOFTMAX.transform(new double[] {1e4, 1e4}), 1e-12);
        assertArrayEquals(new double[] {1.0, 0.0}, Head.SIGMOID.transform(new double[] {1e4, -1e4}), 1e-12);
    }

    @Test
    void metricsAreStoredImmutably() {
        ModelBundle b = logistic.withMetrics(Map.of("test_accuracy", 0.5));
        assertEquals(0.5, b.metrics().get("test_accuracy"), 0);
        assertThrows(UnsupportedOperationException.class, () -> b.metrics().put("x", 1.0));
    }
}
