package org.calibkit.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, section 6 (inputs users notice), through the real command line in a child JVM: an
 * image of another aspect ratio, image formats told by content, {@code --limit 0}, MNIST's own
 * uint8 labels, a structured .npy. Every refusal: exit code 1, one line {@code calibkit: error:},
 * no {@code hs_err} file, nothing new or changed in the directory (inputs byte-identical).
 */
class HostileInputsTest {
    @TempDir
    static Path dir;
    static Path bundle;
    static Path logits;
    static Path labels;
    static int[] y;

    @BeforeAll
    static void files() throws Exception {
        ImageSet train = DataCatalog.load("mnist", "train", null).limit(1000);
        bundle = dir.resolve("lr.ckb");
        try (ModelBundle b = new LogisticTrainer(1, 1, 0.05, 2).train(train, null, s -> { })) {
            b.save(bundle);
        }
        BufferedImage wide = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < 200; r++) {
            for (int c = 0; c < 300; c++) {
                wide.setRGB(c, r, (c * 7 + r * 3) & 0xFFFFFF);
            }
        }
        ImageIO.write(wide, "png", dir.resolve("wide.png").toFile());
        BufferedImage g = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                g.getRaster().setSample(c, r, 0, (c * 9 + r) % 256);
            }
        }
        ImageIO.write(g, "png", dir.resolve("digit.png").toFile());
        ImageIO.write(g, "gif", dir.resolve("digit.gif").toFile());
        ImageIO.write(g, "gif", dir.resolve("gif-named.png").toFile());
        ImageIO.write(g, "bmp", dir.resolve("digit.bmp").toFile());
        ImageIO.write(g, "tiff", dir.resolve("digit.tif").toFile());
        Files.writeString(dir.resolve("text.png"), "not an image at all, whatever its name says");

        ThreeClassPredictions p = ThreeClassPredictions.write(dir, 30, 5, 1.5); // labels as int64
        logits = p.logits();
        labels = p.labels();
        y = p.y();
    }

    private static String refused(String... args) {
        return HostileCli.refusedIn(dir, args);
    }

    private static HostileCli ok(String... args) {
        HostileCli r = HostileCli.run(dir, args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void anImageOfAnotherAspectRatioIsRefusedNotStretched() {
        String line = refused("predict", "--model", bundle.toString(), dir.resolve("wide.png").toString());
        assertTrue(line.contains("wide.png is 300x200 (width/height 1.50)") && line.contains("takes 28x28 (1.00)")
                && line.contains("distort"), line);
    }

    @Test
    void imageFormatsAreToldByContentNotByName() {
        // the same 28x28 grey pixels as PNG, GIF (named .gif and .png), BMP and TIFF: every one is read, and
        // the probabilities are those of the PNG (lossless formats, so the pixels are equal); one predict run
        // of all five (a row each, in order) instead of a child JVM and a model worker per file
        List<String> files = List.of("digit.png", "digit.gif", "gif-named.png", "digit.bmp", "digit.tif");
        List<String> args = new java.util.ArrayList<>(List.of("predict", "--model", bundle.toString()));
        files.forEach(f -> args.add(dir.resolve(f).toString()));
        List<String> rows = probabilityRows(ok(args.toArray(String[]::new)).out(), files.size());
        for (int i = 1; i < files.size(); i++) {
            assertEquals(rows.get(0), rows.get(i), files.get(i));
        }
        String line = refused("predict", "--model", bundle.toString(), dir.resolve("text.png").toString());
        assertTrue(line.contains("text.png") && line.contains("not a PNG, JPEG, GIF, BMP or TIFF image"), line);
    }

    /** The last {@code n} rows of predict's table, in order, each without its first column (the input's name). */
    private static List<String> probabilityRows(String out, int n) {
        List<String> lines = out.strip().lines().toList();
        return lines.subList(lines.size() - n, lines.size()).stream().map(l -> l.strip().replaceFirst("^\\S+\\s+", ""))
                .toList();
    }

    /** The metrics JSON without the labels file's name. */
    private static String metrics(String json) {
        return json.replaceFirst("\"labels_file\":\"[^\"]*\"", "");
    }

    @Test
    void limitZeroIsRefusedNotReadAsAll() {
        String audit = refused("audit", "--model", bundle.toString(), "--data", "mnist", "--limit", "0",
                "--out", dir.resolve("r.html").toString());
        assertEquals("calibkit: error: --limit must be 1 .. 100000000, but got 0", audit);
        String calibrate = refused("calibrate", "--model", bundle.toString(), "--data", "mnist", "--method", "temperature",
                "--limit", "0", "--out", dir.resolve("c.ckb").toString());
        assertEquals(audit, calibrate);
    }

    @Test
    void uint8LabelsAsNpyAndAsMnistsIdxFileGiveTheSameMetricsAsInt64() throws Exception {
        Path u8 = dir.resolve("labels_u8.npy");
        Path idx = dir.resolve("labels-idx1-ubyte");
        try {
            // uint8 .npy written by hand (numpy's format 1.0: magic, version, header length, dict padded to 64)
            String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + y.length + ",), }";
            header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
            ByteBuffer b = ByteBuffer.allocate(10 + header.length() + y.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer i = ByteBuffer.allocate(8 + y.length).putInt(0x00000801).putInt(y.length); // IDX1, big-endian
            for (int v : y) {
                b.put((byte) v);
                i.put((byte) v);
            }
            Files.write(u8, b.array());
            Files.write(idx, i.array());
            String int64 = metrics(ok("metrics", "--logits", logits.toString(), "--labels", labels.toString(), "--json").out());
            assertTrue(int64.contains("\"accuracy\":0.8,"), int64); // 6 of the 30 rows (i % 5 == 0) put 1.5 on a wrong class
            assertEquals(int64, metrics(ok("metrics", "--logits", logits.toString(), "--labels", u8.toString(), "--json").out()));
            assertEquals(int64, metrics(ok("metrics", "--logits", logits.toString(), "--labels", idx.toString(), "--json").out()));
            Files.write(idx, java.util.Arrays.copyOf(i.array(), 8 + y.length - 1)); // one label short of its count
            String line = refused("metrics", "--logits", logits.toString(), "--labels", idx.toString());
            assertTrue(line.contains("declares " + y.length + " labels at byte offset 4"), line);
        } finally {
            Files.deleteIfExists(u8);
            Files.deleteIfExists(idx);
        }
    }

    @Test
    void aTruncatedTribuoModelIsNamedAsTruncated() throws Exception {
        Path whole = dir.resolve("whole.tribuo");
        Path cut = dir.resolve("cut.tribuo");
        Path digits = dir.resolve("digits.npy");
        try {
            try (ModelBundle b = ModelBundle.load(bundle)) {
                b.tribuoModel().serializeToFile(whole);
            }
            byte[] all = Files.readAllBytes(whole);
            Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
            Files.write(digits, HostileCli.npy(2));
            String line = refused("predict", "--model", cut.toString(), "--model-type", "tribuo", digits.toString());
            // Tribuo says "...threw an exception" around protobuf's InvalidProtocolBufferException ("...truncated...")
            assertTrue(line.contains("cut.tribuo cannot be read") && line.contains("the protobuf is truncated"), line);
            assertTrue(!line.contains("threw an exception") && !line.contains("Exception"), line);
        } finally {
            Files.deleteIfExists(whole);
            Files.deleteIfExists(cut);
            Files.deleteIfExists(digits);
        }
    }

    @Test
    void controlCharactersInProbeAndFolderNamesAreRefusedAndShownEscaped() throws Exception {
        String line = refused("audit", "--model", bundle.toString(), "--data", "mnist", "--probes", "blank-black,ev\u001b[2Jil\u0007",
                "--out", dir.resolve("r.html").toString());
        assertTrue(line.startsWith("calibkit: error: probe name 'ev\\x1b[2Jil\\x07' contains control characters"), line);
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c != 0x7f), line);

        Path data = dir.resolve("folders");
        Path cls = Files.createDirectories(data.resolve("test").resolve("se\u001b[31mven"));
        try {
            Files.copy(dir.resolve("digit.png"), cls.resolve("a.png"));
            line = refused("audit", "--model", bundle.toString(), "--data", data.toString(), "--out", dir.resolve("r.html").toString());
            assertTrue(line.contains("class folder 'se\\x1b[31mven'") && line.contains("control characters"), line);
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c != 0x7f), line);
        } finally {
            Files.delete(cls.resolve("a.png"));
            Files.delete(cls);
            Files.delete(data.resolve("test"));
            Files.delete(data);
        }
    }

    @Test
    void calibrateRunsTheBundlesModelInTheWorkerAndFitsWhatInProcessFits() throws Exception {
        Path work = Files.createTempDirectory("calibrate-worker");
        try {
            Path viaWorker = work.resolve("worker.ckb");
            Path inProcess = work.resolve("in-process.ckb");
            Path classes = work.resolve("classes.log");
            // the model's Tribuo class is loaded where the model runs: -Xlog applies to calibkit's JVM, not the worker's
            HostileCli r = HostileCli.run(work, List.of("-Xlog:class+load=info:file=" + classes), Map.of(), "calibrate",
                    "--model", bundle.toString(), "--data", "mnist", "--method", "temperature", "--limit", "300",
                    "--out", viaWorker.toString());
            assertEquals(0, r.code(), r.err());
            String loaded = Files.readString(classes);
            assertTrue(loaded.contains("org.calibkit.core.open.OpenedModel"), "the log does not list calibkit's classes");
            assertTrue(!loaded.contains("org.tribuo.classification.sgd.linear.LinearSGDModel"), "the model was loaded in calibkit's JVM");
            r = HostileCli.run(work, List.of("-Xlog:class+load=info:file=" + classes), Map.of("CALIBKIT_IN_PROCESS", "1"),
                    "calibrate", "--model", bundle.toString(), "--data", "mnist", "--method", "temperature", "--limit", "300",
                    "--out", inProcess.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.readString(classes).contains("org.tribuo.classification.sgd.linear.LinearSGDModel"),
                    "in process the model's class must be loaded here (else the check above proves nothing)");
            try (ModelBundle a = ModelBundle.load(viaWorker); ModelBundle b = ModelBundle.load(inProcess)) {
                assertEquals(b.calibration().orElseThrow().toJson(), a.calibration().orElseThrow().toJson());
            }
        } finally {
            try (java.util.stream.Stream<Path> s = Files.list(work)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(work);
        }
    }

    @Test
    void aStructuredNpyIsNamedAsSuch() throws Exception {
        Path s = dir.resolve("structured.npy");
        try {
            // what numpy.save writes for np.zeros(3, dtype=[('x', '<f4'), ('y', '<i8')])
            String header = "{'descr': [('x', '<f4'), ('y', '<i8')], 'fortran_order': False, 'shape': (3,), }";
            header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
            ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 3 * 12);
            b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .put((byte) header.length()).put((byte) 0).put(header.getBytes(StandardCharsets.US_ASCII));
            Files.write(s, b.array());
            String line = refused("metrics", "--logits", logits.toString(), "--labels", s.toString());
            assertTrue(line.contains("structured.npy: structured dtype not supported: 'descr' is [('x', '<f4'), ('y', '<i8')]"),
                    line);
        } finally {
            Files.deleteIfExists(s);
        }
    }
}
