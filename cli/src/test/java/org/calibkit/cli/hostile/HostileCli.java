package org.calibkit.cli.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code calibkit} command in a child JVM, as a user runs it (this JVM's java and
 * class path, {@code org.calibkit.cli.Main}), with what it printed, and snapshots of
 * directory trees to prove that nothing was written, replaced or left behind.
 */
record HostileCli(int code, String out, String err) {
    static HostileCli run(Path cwd, String... args) {
        return run(cwd, List.of(), Map.of(), args);
    }

    /** The command line to start calibkit with extra JVM options (e.g. {@code -Djava.io.tmpdir=...}). */
    static List<String> command(List<String> jvm, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.calibkit.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@link #run(Path, String...)} with extra JVM options and environment variables. */
    static HostileCli run(Path cwd, List<String> jvm, Map<String, String> env, String... args) {
        List<String> cmd = command(jvm, args);
        try {
            Path o = Files.createTempFile("hostile-out", ".txt");
            Path e = Files.createTempFile("hostile-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                        .redirectOutput(o.toFile()).redirectError(e.toFile());
                pb.environment().remove("CALIBKIT_DEBUG");
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("calibkit " + args[0] + " did not finish in 300 s");
                }
                return new HostileCli(p.exitValue(), Files.readString(o), Files.readString(e));
            } finally {
                Files.deleteIfExists(o);
                Files.deleteIfExists(e);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /**
     * Runs calibkit in {@code dir} and asserts a refusal: exit code 1, exactly one stderr line
     * starting {@code calibkit: error: }, nothing new, gone or changed under {@code dir} (so no
     * {@code hs_err} file, inputs byte-identical). Returns the line.
     */
    static String refusedIn(Path dir, String... args) {
        Map<String, String> before = snapshot(dir);
        HostileCli r = run(dir, args);
        org.junit.jupiter.api.Assertions.assertEquals(1, r.code(), r.err());
        org.junit.jupiter.api.Assertions.assertEquals(1, r.errLines().size(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(r.errLines().get(0).startsWith("calibkit: error: "), r.err());
        org.junit.jupiter.api.Assertions.assertEquals(before, snapshot(dir), "a file was written, left or changed");
        return r.errLines().get(0);
    }

    /** The non-blank lines of stderr. */
    List<String> errLines() {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Every file under {@code dir} with its bytes' hash (directories as "dir"). */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p,
                        java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                m.put(dir.relativize(p).toString(), a.isDirectory() ? "dir" : a.isSymbolicLink() ? "link:" + Files.readSymbolicLink(p)
                        : !a.isRegularFile() ? "special" // a FIFO: reading it would block
                        : Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p))) + ":" + a.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** A float32 .npy of n images 1 x 28 x 28 with pixel (i, r, c) = (i * 31 + r * 7 + c * 3) % 256. */
    static byte[] npy(int n) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", 1, 28, 28), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + n * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    b.putFloat((i * 31 + r * 7 + c * 3) % 256);
                }
            }
        }
        return b.array();
    }
}
