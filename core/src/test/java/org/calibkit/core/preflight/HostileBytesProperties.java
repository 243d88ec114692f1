package org.calibkit.core.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.model.SyntheticImages;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.core.worker.Frames;
import org.calibkit.core.Messages;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Issue 17, property tests: truncations and bit flips of every format a hostile file can reach
 * before native code (the ONNX preflight reader, the bundle zip and manifest, the worker's frames)
 * end in a {@link CalibkitException} (or {@link IOException} for frames) and nothing else: no
 * OutOfMemoryError, NegativeArraySizeException or ArrayIndexOutOfBounds. The ONNX file is the
 * real PyTorch MNIST CNN of the sources tests.
 */
class HostileBytesProperties {
    private static final byte[] ONNX = read(Path.of("src/test/resources/org/calibkit/core/sources/pytorch_mnist_cnn.onnx"));
    private static final byte[] BUNDLE = bundle();

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bundle() {
        try {
            Path f = Files.createTempFile("hostile", ".ckb");
            new LogisticTrainer(1, 1, 0.1, 1).train(SyntheticImages.bars(100, 3, 1, 8, 1, "train"), null, s -> { }).save(f);
            byte[] b = Files.readAllBytes(f);
            Files.delete(f);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temp(byte[] bytes, String suffix) {
        try {
            Path f = Files.createTempFile("hostile", suffix);
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] flip(byte[] b, int bit) {
        byte[] c = b.clone();
        int at = Math.floorMod(bit, c.length * 8);
        c[at / 8] ^= (byte) (1 << (at % 8));
        return c;
    }

    private static void onlyOurError(Runnable r) {
        try {
            r.run();
        } catch (CalibkitException e) {
            assertTrue(e.getMessage().lines().count() <= 1, e.getMessage());
        }
    }

    @Property(tries = 150)
    void onnxPreflightOfATruncatedModel(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        Path f = temp(Arrays.copyOf(ONNX, Math.min(cut, ONNX.length)), ".onnx");
        try {
            onlyOurError(() -> OnnxPreflight.check(f));
        } finally {
            f.toFile().delete();
        }
    }

    @Property(tries = 150)
    void onnxPreflightOfABitFlippedModel(@ForAll int bit) {
        Path f = temp(flip(ONNX, bit), ".onnx");
        try {
            onlyOurError(() -> OnnxPreflight.check(f));
        } finally {
            f.toFile().delete();
        }
    }

    @Property(tries = 100)
    void bundleTruncatedOrBitFlipped(@ForAll @IntRange(min = 0, max = 1 << 20) int cut, @ForAll int bit) {
        for (byte[] b : new byte[][] {Arrays.copyOf(BUNDLE, Math.min(cut, BUNDLE.length)), flip(BUNDLE, bit)}) {
            Path f = temp(b, ".ckb");
            try {
                onlyOurError(() -> ModelBundle.load(f).close());
            } finally {
                f.toFile().delete();
            }
        }
    }

    @Property(tries = 300)
    void framesTruncatedOrBitFlippedNeverAllocateBeyondTheirLimit(@ForAll @IntRange(min = 0, max = 200) int cut,
                                                                   @ForAll int bit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, Frames.RESULT, new byte[100]);
        byte[] good = out.toByteArray();
        for (byte[] b : new byte[][] {Arrays.copyOf(good, Math.min(cut, good.length)), flip(good, bit)}) {
            try {
                Frames.Frame f = Frames.read(new ByteArrayInputStream(b), 128);
                assertTrue(f == null || f.payload().length <= 128);
            } catch (IOException expected) {
                // refused: truncated, bad magic, other version or over the limit
            }
        }
        assertEquals(100, Frames.read(new ByteArrayInputStream(good), 128).payload().length);
    }

    @Property(tries = 300)
    void messagesAreOneLineOfPrintableCharacters(@ForAll @StringLength(max = 200) String s) {
        String m = Messages.oneLine(s, 500);
        assertTrue(m.chars().noneMatch(c -> c < 0x20 || c == 0x7F), m);
        assertTrue(m.length() <= 500);
    }
}
