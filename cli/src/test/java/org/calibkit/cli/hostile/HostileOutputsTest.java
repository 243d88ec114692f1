package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.outputs.OutputFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, section 3: output paths that would destroy an input, another output or a special
 * file are refused before any work, through the real command line in a child JVM; a run's
 * HTML and JSON land together. (No test renames anything onto /dev: the device case is
 * checked through {@link OutputFiles#check}, which writes nothing.)
 */
class HostileOutputsTest {
    @TempDir
    Path dir;
    private Path logits;
    private Path labels;

    @BeforeEach
    void predictions() throws Exception {
        // 40 rows, 3 classes: logit 2 on the label's column, 0 elsewhere (rows i % 3 and (i + 1) % 3 alternate)
        ThreeClassPredictions p = ThreeClassPredictions.write(dir, 40, 4, 2.0);
        logits = p.logits();
        labels = p.labels();
    }

    private HostileCli audit(String... extra) {
        List<String> a = new ArrayList<>(List.of("audit", "--predictions", logits.toString(), "--labels", labels.toString(),
                "--resamples", "50"));
        a.addAll(List.of(extra));
        return HostileCli.run(dir, a.toArray(String[]::new));
    }

    private String refused(String... extra) {
        Map<String, String> before = HostileCli.snapshot(dir);
        HostileCli r = audit(extra);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("calibkit: error: "), r.err());
        assertEquals(before, HostileCli.snapshot(dir), "a file was written or replaced");
        return r.errLines().get(0);
    }

    @Test
    void anOutputThatIsAnInputIsRefused() {
        assertTrue(refused("--out", logits.toString()).contains("is an input of this run"));
        assertTrue(refused("--out", dir.resolve("r.html").toString(), "--json", labels.toString()).contains("--json " + labels));
    }

    @Test
    void twoOutputsNamingOneFileAreRefused() {
        Path r = dir.resolve("r.html");
        String line = refused("--out", r.toString(), "--json", r.toString());
        assertTrue(line.contains("is the same file as --out"), line);
        assertTrue(refused("--out", r.toString(), "--json", dir.resolve("x/../r.html").toString()).contains("same file"));
    }

    @Test
    void fifosSymlinksDirectoriesAndEmptyPathsAreRefused() throws Exception {
        Path fifo = dir.resolve("fifo.html");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(refused("--out", fifo.toString()).contains("a device, FIFO or socket, not a regular file"));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), target);
        assertTrue(refused("--out", link.toString()).contains("a symbolic link"));
        assertEquals("keep me", Files.readString(target));
        assertTrue(refused("--out", dir.toString()).contains("a directory"));
        assertTrue(refused("--out", "").contains("--out is empty"));
    }

    @Test
    void devicesAreRefusedByTheCheckItself() {
        Map<String, Path> out = new LinkedHashMap<>();
        out.put("--out", Path.of("/dev/null"));
        String m = assertThrows(CalibkitException.class, () -> OutputFiles.check(out, List.of())).getMessage();
        assertTrue(m.contains("--out /dev/null is a device, FIFO or socket"), m);
        out.put("--out", Path.of("/dev/stdout"));
        m = assertThrows(CalibkitException.class, () -> OutputFiles.check(out, List.of())).getMessage();
        assertTrue(m.contains("a symbolic link"), m);
    }

    @Test
    void aDirectoryWhereNoFileCanBeCreatedIsRefusedBeforeTheWork() {
        // as root, access(2) calls /proc writable; only trying to create a file there tells (the kernel
        // refuses it, so nothing is written). Without the check the audit ran to its end and failed then.
        Map<String, Path> out = new LinkedHashMap<>();
        out.put("--out", Path.of("/proc/calibkit-never-written.html"));
        String m = assertThrows(CalibkitException.class, () -> OutputFiles.check(out, List.of())).getMessage();
        assertEquals("cannot write --out /proc/calibkit-never-written.html: no file can be created in /proc", m);
    }

    @Test
    void htmlAndJsonLandTogetherAndNoPartFileStays() throws Exception {
        Path html = dir.resolve("out/r.html");
        Path json = dir.resolve("out/r.json");
        HostileCli r = audit("--out", html.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(html) > 0 && Files.size(json) > 0);
        try (var s = Files.list(html.getParent())) {
            assertEquals(List.of("r.html", "r.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
