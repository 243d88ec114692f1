package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.calibkit.calibration.io.PredictionFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, section 5 leftovers, through the real command line in a child JVM: {@code metrics
 * --plot} outputs checked as {@code audit --out} is, and CSV files in UTF-16 or with a
 * byte-order mark. Every refusal: exit code 1, one line {@code calibkit: error:}, nothing new
 * or changed in the directory (inputs byte-identical, no {@code hs_err} file).
 */
class HostileMessagesTest {
    @TempDir
    Path dir;
    private Path logits;
    private Path labels;
    private String csv;

    @BeforeEach
    void predictions() {
        int n = 24;
        double[] v = new double[n * 3];
        int[] y = new int[n];
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            v[i * 3 + (i % 4 == 0 ? (i + 2) % 3 : i % 3)] = 2.0;
            b.append(v[i * 3]).append(',').append(v[i * 3 + 1]).append(',').append(v[i * 3 + 2]).append('\n');
        }
        logits = dir.resolve("logits.npy");
        labels = dir.resolve("labels.npy");
        PredictionFiles.writeNpy(logits, v, n, 3);
        PredictionFiles.writeNpy(labels, y);
        csv = b.toString();
    }

    private String refused(String... args) {
        return HostileCli.refusedIn(dir, args);
    }

    private String metricsJson(Path logitsFile) {
        HostileCli r = HostileCli.run(dir, "metrics", "--logits", logitsFile.toString(), "--labels", labels.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return r.out().replaceFirst("\"logits_file\":\"[^\"]*\"", "");
    }

    @Test
    void plotOutputsAreCheckedBeforeAnyWork() throws Exception {
        String line = refused("metrics", "--logits", logits.toString(), "--labels", labels.toString(), "--plot", labels.toString());
        assertEquals("calibkit: error: --plot " + labels + " exists and is not a directory; name a directory for the charts", line);

        Path plots = Files.createDirectory(dir.resolve("plots"));
        Files.createSymbolicLink(plots.resolve("reliability-before.png"), logits); // renaming over it would replace the link
        line = refused("metrics", "--logits", logits.toString(), "--labels", labels.toString(), "--plot", plots.toString());
        assertTrue(line.contains("reliability-before.png") && line.contains("is a symbolic link, not a regular file"), line);
        Files.delete(plots.resolve("reliability-before.png"));

        Files.createLink(plots.resolve("confidence-after.svg"), labels); // a hard link: the same file as an input
        line = refused("metrics", "--logits", logits.toString(), "--labels", labels.toString(), "--plot", plots.toString(),
                "--fit-logits", logits.toString(), "--fit-labels", labels.toString());
        assertTrue(line.contains("confidence-after.svg") && line.contains("is an input of this run"), line);
    }

    @Test
    void csvInUtf16OrWithAByteOrderMarkIsReadAndOtherEncodingsAreNamed() throws Exception {
        Path utf8 = Files.writeString(dir.resolve("l8.csv"), csv, StandardCharsets.UTF_8);
        String expected = metricsJson(utf8);
        assertEquals(expected, metricsJson(logits)); // the same values as the .npy
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path withBom = dir.resolve("lbom.csv");
        Files.write(withBom, concat(bom, csv.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, metricsJson(withBom));
        Path utf16 = dir.resolve("l16.csv");
        Files.write(utf16, concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, csv.getBytes(StandardCharsets.UTF_16LE)));
        assertEquals(expected, metricsJson(utf16));
        Path utf16be = dir.resolve("l16be.csv");
        Files.write(utf16be, concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, csv.getBytes(StandardCharsets.UTF_16BE)));
        assertEquals(expected, metricsJson(utf16be));

        Path noBom = dir.resolve("nobom.csv");
        Files.write(noBom, csv.getBytes(StandardCharsets.UTF_16LE));
        String line = refused("metrics", "--logits", noBom.toString(), "--labels", labels.toString());
        assertTrue(line.contains("nobom.csv") && line.contains("UTF-16 without a byte-order mark"), line);

        Path latin1 = dir.resolve("latin1.csv");
        byte[] l = ("# logits r\u00e9sum\u00e9\n" + csv).getBytes(StandardCharsets.ISO_8859_1); // é is byte 0xE9 at offset 10
        Files.write(latin1, l);
        line = refused("metrics", "--logits", latin1.toString(), "--labels", labels.toString());
        assertEquals("calibkit: error: latin1.csv: not UTF-8 text: invalid byte sequence at byte offset 10; save it as UTF-8", line);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
