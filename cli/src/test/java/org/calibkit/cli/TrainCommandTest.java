package org.calibkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.calibkit.core.ImageSet;
import org.calibkit.calibration.Head;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.SyntheticImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/** {@code calibkit train} end to end on a small directory of PNG class folders. */
class TrainCommandTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void writeFolders() throws IOException {
        data = dir.resolve("bars");
        write(SyntheticImages.bars(300, 10, 1, 28, 41, "train"), data.resolve("train"));
        write(SyntheticImages.bars(100, 10, 1, 28, 42, "test"), data.resolve("test"));
    }

    private static void write(ImageSet set, Path root) throws IOException {
        for (int i = 0; i < set.size(); i++) {
            Path classDir = root.resolve(set.classNames().get(set.label(i)));
            Files.createDirectories(classDir);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            float[] px = set.image(i);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = Math.round(px[y * 28 + x]);
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(img, "png", classDir.resolve(String.format("%04d.png", i)).toFile());
        }
    }


    private static CliRun run(String... args) {
        return CliRun.command("train", args);
    }

    @Test
    void logisticOnAFolderWritesBundleAndJson() throws IOException {
        Path out = dir.resolve("lr.ckb");
        Path json = dir.resolve("lr.json");
        CliRun r = run("--data", data.toString(), "--model", "logistic", "--epochs", "1", "--seed", "3",
                "--out", out.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("logistic: trained in"), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        for (String field : new String[] {"model", "data", "epochs", "train_seconds", "seconds_per_epoch",
                "validation_accuracy", "test_accuracy", "test_nll"}) {
            assertTrue(j.hasNonNull(field), "json lacks " + field + ": " + j);
        }
        assertEquals("logistic", j.get("model").asText());
        assertEquals(270, j.get("train_examples").asInt()); // every 10th of 300 held out
        assertEquals(30, j.get("validation_examples").asInt());
        assertEquals(100, j.get("test_examples").asInt());
        assertTrue(j.get("test_accuracy").asDouble() > 0.3, "test accuracy " + j.get("test_accuracy"));
        try (ModelBundle b = ModelBundle.load(out)) {
            assertEquals(j.get("test_accuracy").asDouble(), b.metrics().get("test_accuracy"), 0);
            assertEquals("image-folder", b.trainingData().dataset());
            assertEquals(270, b.trainingData().examples());
        }
    }

    @Test
    void cnnWithSigmoidHeadAndL2() {
        Path out = dir.resolve("cnn.ckb");
        CliRun r = run("--data", data.toString(), "--model", "cnn", "--head", "sigmoid", "--l2-alpha", "learned",
                "--epochs", "1", "--batch", "16", "--limit", "200", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("cnn: epoch 1/1 done"), r.err());
        assertTrue(r.out().contains("test accuracy"), r.out());
        try (ModelBundle b = ModelBundle.load(out)) {
            assertEquals(Head.SIGMOID, b.head());
            assertEquals(200, b.trainingData().examples());
            assertEquals("learned", b.hyperparameters().get("l2_alpha").asText());
        }
    }

    @Test
    void badOptionsGiveOneClearLineAndNoOutput() {
        Path out = dir.resolve("never.ckb");
        CliRun r = run("--data", data.toString(), "--model", "logistic", "--head", "sigmoid", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("calibkit: error: --head sigmoid needs --model cnn"), r.err());
        r = run("--data", data.toString(), "--model", "cnn", "--l2-alpha", "-1", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--l2-alpha must be a number > 0 or 'learned', but got '-1'"), r.err());
        r = run("--data", data.toString(), "--model", "forest", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("model must be logistic or cnn, but got 'forest'"), r.err());
        r = run("--data", data.toString(), "--model", "cnn", "--epochs", "0", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("epochs must be >= 1, but got 0"), r.err());
        // refused before any data is loaded (the "train: ..." line comes after loading)
        assertFalse(r.err().contains("training and"), r.err());
        r = run("--data", "mnist", "--data-dir", dir.resolve("no-such-dir").toString(), "--model", "logistic",
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("data directory " + dir.resolve("no-such-dir") + " (--data-dir) does not exist"), r.err());
        r = run("--data", "no-such-set", "--model", "cnn", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown data set 'no-such-set'"), r.err());
        r = run("--data", data.toString(), "--model", "cnn");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out"), r.err());
        assertFalse(Files.exists(out));
    }
}
