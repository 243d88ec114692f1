package org.calibkit.core.data;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Fetches a package tarball from the npm registry with {@code npm pack} (the ordinary client). */
final class NpmPack {
    private static final long TIMEOUT_MINUTES = 10;

    private NpmPack() {
    }

    /** The {@code npm} executable on the PATH, or {@code null}. */
    static Path findNpm() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "npm");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code npm pack spec} in {@code workDir} and returns the tarball it wrote.
     *
     * @throws IOException when npm fails, times out, or writes no tarball
     */
    static Path pack(Path npm, String spec, Path workDir) throws IOException {
        Path log = workDir.resolve("npm-pack.log");
        ProcessBuilder pb = new ProcessBuilder(npm.toString(), "pack", spec, "--silent")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        pb.environment().put("npm_config_fund", "false");
        pb.environment().put("npm_config_audit", "false");
        Process proc = pb.start();
        // Ctrl-C: stop npm (and what it started) so it writes no more into the work directory being removed
        Thread stop = new Thread(() -> {
            proc.descendants().forEach(ProcessHandle::destroyForcibly);
            proc.destroyForcibly();
        }, "calibkit-npm-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            if (!proc.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new IOException("npm pack " + spec + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack " + spec, e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        if (proc.exitValue() != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            int cut = Math.max(0, out.length() - 400);
            throw new IOException("npm pack " + spec + " failed (exit " + proc.exitValue() + "): "
                    + out.substring(cut).replace('\n', ' '));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(workDir, "*.tgz")) {
            for (Path p : ds) {
                return p;
            }
        }
        throw new IOException("npm pack " + spec + " wrote no .tgz file into " + workDir);
    }
}
