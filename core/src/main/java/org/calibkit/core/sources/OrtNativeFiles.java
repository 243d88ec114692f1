package org.calibkit.core.sources;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.calibkit.calibration.io.AtomicWrite;

/**
 * Removes the directory ONNX Runtime's Java loader extracts its native libraries into.
 *
 * <p>{@code ai.onnxruntime.OnnxRuntime.init()} (1.20.0) creates {@code java.io.tmpdir/onnxruntime-java*},
 * extracts the shared libraries there and marks the directory, then each file, for
 * {@code deleteOnExit}. The JDK deletes such paths in reverse order of registration, so the
 * directory's deletion comes first, fails (it is not yet empty), and an empty directory is left
 * in {@code /tmp} by every run (with the 16 MB of libraries when the JVM is killed). This class
 * reads the loader's {@code tempDirectory} and deletes that tree itself, in a shutdown hook
 * (a loaded library may be unlinked on Linux). The worker JVM needs none of this: its
 * {@code java.io.tmpdir} is its own directory, removed by the parent.
 */
final class OrtNativeFiles {
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private OrtNativeFiles() { }

    /** Call once ONNX Runtime is loaded: registers, once per JVM, the removal of its extraction directory. */
    static void removeOnExit() {
        if (!HOOKED.compareAndSet(false, true)) {
            return;
        }
        Path dir = extractionDirectory();
        if (dir == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> AtomicWrite.deleteTree(dir), "calibkit-ort-native-files"));
    }

    private static Path extractionDirectory() {
        try {
            Class<?> c = Class.forName("ai.onnxruntime.OnnxRuntime");
            Field f = c.getDeclaredField("tempDirectory");
            f.setAccessible(true);
            Object v = f.get(null);
            return v instanceof Path p && p.getFileName() != null
                    && p.getFileName().toString().startsWith("onnxruntime-java") ? p : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another ONNX Runtime version: its own clean-up applies
        }
    }
}
