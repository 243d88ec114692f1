package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Head;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.worker.ModelWorker;
import org.calibkit.core.worker.WorkerLogitSource;
import org.calibkit.core.worker.WorkerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Issue 17, sections 1 and 2: crafted ONNX files (from {@link CraftedModels}) through the real
 * command line in a child JVM. Each hostile case must end in exit 1, exactly one stderr line
 * starting {@code calibkit: error:}, no {@code hs_err} file, nothing new under the working and
 * output directories, and inputs byte-identical.
 */
class HostileModelsTest {
    @TempDir
    Path dir;

    private Path models() throws Exception {
        return Files.createDirectories(dir.resolve("models"));
    }

    private Path digits() throws Exception {
        return Files.write(dir.resolve("digits.npy"), HostileCli.npy(4));
    }

    /** Runs predict and checks the promises every refusal keeps; returns the one error line. */
    private String refused(Path model) throws Exception {
        Path npy = digits();
        Map<String, String> before = HostileCli.snapshot(dir);
        HostileCli r = HostileCli.run(dir, "predict", "--model", model.toString(), npy.toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("calibkit: error: "), lines.get(0));
        assertEquals(before, HostileCli.snapshot(dir), "files were written, replaced or left behind");
        assertTrue(before.keySet().stream().noneMatch(f -> f.contains("hs_err")));
        return lines.get(0);
    }

    @Test
    void theControlModelPredictsThroughTheWorker() throws Exception {
        Path m = Files.write(models().resolve("ok.onnx"), CraftedModels.conv(1, 1));
        HostileCli r = HostileCli.run(dir, "predict", "--model", m.toString(), digits().toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void strideZeroIsRefusedBeforeOnnxRuntimeSeesIt() throws Exception {
        Path m = Files.write(models().resolve("stride0.onnx"), CraftedModels.conv(0, 0));
        String line = refused(m);
        assertTrue(line.contains("node 'conv' (Conv) has strides [0, 0]"), line);
    }

    @Test
    void theWorkerAloneSurvivesOnnxRuntimesSigfpe() throws Exception {
        // past the preflight check (the opener hands the file straight to ONNX Runtime): only the worker protects us
        Path m = Files.write(models().resolve("stride0.onnx"), CraftedModels.conv(0, 0));
        Map<String, String> before = HostileCli.snapshot(dir);
        ModelWorker w = ModelWorker.start(WorkerOptions.defaults().withHeapMegabytes(256), "ONNX Runtime");
        try (WorkerLogitSource s = new WorkerLogitSource(w, m.toString(), List.of("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9"), Head.SOFTMAX, null)) {
            CalibkitException e = assertThrows(CalibkitException.class, () -> {
                w.open(UncheckedOnnxOpener.class, JsonNodeFactory.instance.objectNode().put("path", m.toString()),
                        "loading " + m);
                s.logits(new ImageSet(new float[4 * 784], new int[4], 1, 28, 28, s.classNames(),
                        new DataOrigin("t", "t", "t", null, false)));
            });
            assertTrue(e.getMessage().startsWith("the model crashed ONNX Runtime while "), e.getMessage());
            assertTrue(e.getMessage().endsWith("(signal SIGFPE); the file is unusable"), e.getMessage());
        }
        assertEquals(before, HostileCli.snapshot(dir));
    }

    @Test
    void externalDataOutsideTheModelsDirectoryIsRefused() throws Exception {
        Path models = models();
        Path secret = Files.write(dir.resolve("secret.bin"), CraftedModels.weights());
        Path m = Files.write(models.resolve("up.onnx"), CraftedModels.externalWeights("../secret.bin"));
        assertTrue(refused(m).contains("initializer 'W' keeps its data in '../secret.bin', outside the model's directory"));
        Path abs = Files.write(models.resolve("abs.onnx"), CraftedModels.externalWeights(secret.toString()));
        assertTrue(refused(abs).contains("keeps its data in '" + secret + "', an absolute path"));
        Files.createSymbolicLink(models.resolve("link.bin"), secret);
        Path link = Files.write(models.resolve("link.onnx"), CraftedModels.externalWeights("link.bin"));
        assertTrue(refused(link).contains("'link.bin', a link to " + secret.toRealPath()));
    }

    @Test
    void externalDataInsideTheModelsDirectoryIsRead() throws Exception {
        Path models = models();
        Files.write(models.resolve("w.bin"), CraftedModels.weights());
        Path m = Files.write(models.resolve("ext.onnx"), CraftedModels.externalWeights("w.bin"));
        HostileCli r = HostileCli.run(dir, "predict", "--model", m.toString(), digits().toString());
        assertEquals(0, r.code(), r.err());
        // the same weights inline and external give the same predictions
        Path inline = Files.write(models.resolve("inline.onnx"), CraftedModels.conv(1, 1));
        String same = HostileCli.run(dir, "predict", "--model", inline.toString(), digits().toString()).out();
        assertEquals(same.substring(same.indexOf('\n')), r.out().substring(r.out().indexOf('\n')));
    }

    @Test
    void aTensorFlowCheckAbortIsOneLineAndTheHonestGraphWorks() throws Exception {
        Path ok = CraftedGraphs.savedModel(models().resolve("honest"), true);
        HostileCli r = HostileCli.run(dir, "predict", "--model", ok.toString(), digits().toString());
        assertEquals(0, r.code(), r.err());
        Path bad = CraftedGraphs.savedModel(models().resolve("float-ksize"), false);
        String line = refused(bad);
        assertTrue(line.startsWith("calibkit: error: the model crashed TensorFlow while loading "), line);
        assertTrue(line.contains("(signal SIGABRT") && line.endsWith("; the file is unusable"), line);
    }

    @Test
    void aModelThatAllocatesNativeMemoryWithoutBoundIsStoppedAtTheWorkersLimit() throws Exception {
        Map<String, String> limit = Map.of("CALIBKIT_WORKER_MEMORY_MB", "1024");
        // the control: the same graph filling 10 floats; its logits are the plain model's + 10, so the
        // softmax probabilities (and the printed predictions) are the plain model's
        Path small = Files.write(models().resolve("small.onnx"), CraftedModels.hungry(1));
        HostileCli ok = HostileCli.run(dir, List.of(), limit, "predict", "--model", small.toString(), digits().toString());
        assertEquals(0, ok.code(), ok.err());
        Path plain = Files.write(models().resolve("plain.onnx"), CraftedModels.conv(1, 1));
        String same = HostileCli.run(dir, "predict", "--model", plain.toString(), digits().toString()).out();
        assertEquals(same.substring(same.indexOf('\n')), ok.out().substring(ok.out().indexOf('\n')));
        // 150 million x 10 floats = 6 GB of native memory, which the worker's Java heap limit does not
        // bound: the resident-memory limit of 1024 MB must stop it
        Path big = Files.write(models().resolve("hungry.onnx"), CraftedModels.hungry(150_000_000L));
        Path npy = digits();
        Map<String, String> before = HostileCli.snapshot(dir);
        HostileCli r = HostileCli.run(dir, List.of(), limit, "predict", "--model", big.toString(), npy.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("calibkit: error: the model took more than 1024 MB of memory while "), line);
        assertTrue(line.contains("CALIBKIT_WORKER_MEMORY_MB"), line);
        assertEquals(before, HostileCli.snapshot(dir), "files were written, replaced or left behind");
    }

    @Test
    void workerLimitsOutOfRangeAreNamedByTheirVariable() throws Exception {
        Path m = Files.write(models().resolve("ok.onnx"), CraftedModels.conv(1, 1));
        for (String[] c : new String[][] {{"CALIBKIT_WORKER_MEMORY_MB", "100", "256 .. 16777216"},
                {"CALIBKIT_WORKER_HEAP_MB", "0", "64 .. 1048576"}, {"CALIBKIT_WORKER_TIMEOUT_S", "90000", "1 .. 86400"}}) {
            HostileCli r = HostileCli.run(dir, List.of(), Map.of(c[0], c[1]), "predict", "--model", m.toString(),
                    digits().toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(List.of("calibkit: error: " + c[0] + " must be " + c[2] + ", but got " + c[1]), r.errLines());
        }
    }

    @Test
    void aTruncatedOnnxFileIsNamedWithItsByteOffset() throws Exception {
        byte[] full = CraftedModels.conv(1, 1);
        Path m = Files.write(models().resolve("cut.onnx"), java.util.Arrays.copyOf(full, full.length / 2));
        String line = refused(m);
        assertTrue(line.contains("is damaged or not an ONNX protobuf"), line);
    }

}
