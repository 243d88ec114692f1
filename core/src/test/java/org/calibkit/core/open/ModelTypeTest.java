package org.calibkit.core.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling model files apart by name and by their first bytes. */
class ModelTypeTest {
    @TempDir
    Path dir;

    @Test
    void byNameByContentAndByDirectory() throws IOException {
        assertEquals(ModelType.BUNDLE, ModelType.detect(dir.resolve("absent.ckb")), "a bundle's loader names a missing file");
        assertEquals(ModelType.ONNX, ModelType.detect(dir.resolve("absent.onnx")));
        Path onnxNoExt = dir.resolve("model.bin");
        try (InputStream in = getClass().getResourceAsStream("/org/calibkit/core/sources/pytorch_mnist_cnn.onnx")) {
            Files.copy(in, onnxNoExt);
        }
        assertEquals(ModelType.ONNX, ModelType.detect(onnxNoExt), "protobuf starting with ir_version");
        Path zip = dir.resolve("bundle.model");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0});
        assertEquals(ModelType.BUNDLE, ModelType.detect(zip));
        Path tribuo = dir.resolve("lr.tribuo");
        Files.write(tribuo, concat(new byte[] {0x08, 0x00, 0x12, 0x2a}, "org.tribuo.classification.sgd.linear.LinearSGDModel".getBytes()));
        assertEquals(ModelType.TRIBUO, ModelType.detect(tribuo));
        Path saved = Files.createDirectories(dir.resolve("saved"));
        Files.write(saved.resolve("saved_model.pb"), new byte[] {0x08});
        assertEquals(ModelType.SAVEDMODEL, ModelType.detect(saved));
    }

    @Test
    void whatItCannotTellIsOneClearError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("emptydir"));
        assertTrue(assertThrows(CalibkitException.class, () -> ModelType.detect(empty)).getMessage()
                .contains("is a directory without saved_model.pb"));
        Path java = dir.resolve("m.ser");
        Files.write(java, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
        assertTrue(assertThrows(CalibkitException.class, () -> ModelType.detect(java)).getMessage()
                .contains("Java-serialized object, which calibkit never reads"));
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "hello");
        assertTrue(assertThrows(CalibkitException.class, () -> ModelType.detect(junk)).getMessage()
                .startsWith("cannot tell what kind of model " + junk));
        assertEquals("model " + dir.resolve("nope") + " does not exist",
                assertThrows(CalibkitException.class, () -> ModelType.detect(dir.resolve("nope"))).getMessage());
        assertEquals(ModelType.SAVEDMODEL, ModelType.parse("SavedModel"));
        assertThrows(IllegalArgumentException.class, () -> ModelType.parse("pytorch"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
