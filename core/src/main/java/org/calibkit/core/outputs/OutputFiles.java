package org.calibkit.core.outputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.calibkit.calibration.io.AtomicWrite;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.Messages;

/**
 * The files one run writes. {@link #check} refuses, before any work, an output that is empty,
 * whose directory is missing, that is one of the run's inputs, that names the same file as
 * another output, or that exists and is not a regular file (a device such as {@code /dev/null}
 * or {@code /dev/stdout}, a FIFO, a symbolic link, a directory: renaming over it would replace
 * it). {@link #writeTogether} writes every output to a temporary file beside its target and
 * then renames them all while holding a lock that a shutdown hook waits for, so a SIGINT
 * (Ctrl-C) during the renames lets them finish: the files of one run land together, or (when
 * a write fails) none of them does.
 */
public final class OutputFiles {
    /** Held while the outputs are renamed into place; the shutdown hook waits for it. */
    private static final Object COMMIT = new Object();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (COMMIT) {
                // nothing: entering waits for renames in progress to finish
            }
        }, "calibkit-output-commit"));
    }

    /** One output: the option that named it, its path, and what writes its content. */
    public record Output(String option, Path path, AtomicWrite.Content writer) {
        public Output {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(writer, "writer");
        }

        /** An output whose content is {@code text} in UTF-8. */
        public static Output utf8(String option, Path path, String text) {
            return new Output(option, path, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        }
    }

    /**
     * The {@code --out} page and, when {@code json} is not null, its {@code --json} twin (its text
     * made only then), as {@link #writeTogether} takes them.
     */
    public static List<Output> pageAndJson(Path html, String page, Path json, Supplier<String> jsonText) {
        List<Output> files = new ArrayList<>();
        files.add(Output.utf8("--out", html, page));
        if (json != null) {
            files.add(Output.utf8("--json", json, jsonText.get()));
        }
        return files;
    }

    private OutputFiles() {
    }

    /**
     * Checks the outputs of a run against each other and its inputs.
     *
     * @param outputs option name (e.g. {@code --out}) to path; null paths are skipped
     * @param inputs  the files and directories the run reads; null entries are skipped
     * @throws CalibkitException naming the option, the path and the reason
     */
    public static void check(Map<String, Path> outputs, List<Path> inputs) {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            Path p = e.getValue();
            if (p == null) {
                continue;
            }
            String opt = e.getKey();
            String shown = opt + " " + Messages.printable(p.toString());
            if (p.toString().isEmpty() || p.getFileName() == null) {
                throw new CalibkitException(opt + " is empty or names no file" + (p.toString().isEmpty() ? "" : ": " + shown));
            }
            Path abs = p.toAbsolutePath().normalize();
            String other = seen.put(abs, opt);
            if (other != null) {
                throw new CalibkitException(shown + " is the same file as " + other + "; give each output its own file");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                String kind = kind(p);
                if (kind != null) {
                    throw new CalibkitException(shown + " is " + kind + ", not a regular file; calibkit writes its "
                            + "outputs only to regular files (it would replace " + kind + "), so name a file");
                }
                for (Path in : inputs) {
                    if (in != null && Files.exists(in) && same(p, in)) {
                        throw new CalibkitException(shown + " is an input of this run (" + Messages.printable(in.toString())
                                + "); refusing to replace it");
                    }
                }
            }
            Path dir = abs.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent(); // missing directories are created
            }
            if (dir == null || !Files.isDirectory(dir)) {
                throw new CalibkitException("cannot write " + shown + ": " + dir + " is not a directory");
            }
            if (!Files.isWritable(dir)) {
                throw new CalibkitException("cannot write " + shown + ": its directory " + dir + " is read-only");
            }
            probe(shown, dir);
            for (Path other2 : seen.keySet()) {
                if (!other2.equals(abs) && Files.exists(other2) && Files.exists(p) && same(other2, p)) {
                    throw new CalibkitException(shown + " is the same file as " + seen.get(other2));
                }
            }
        }
    }

    /**
     * Creates and deletes a file in {@code dir}: as root, {@link Files#isWritable} says yes to
     * directories such as {@code /proc} or a read-only mount, and the run would find out only when
     * it writes, after all its work.
     */
    private static void probe(String shown, Path dir) {
        Path t;
        try {
            t = Files.createTempFile(dir, ".calibkit-probe-", AtomicWrite.PART);
        } catch (IOException e) {
            String cause = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? null
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new CalibkitException("cannot write " + shown + ": no file can be created in " + dir
                    + (cause == null ? "" : " (" + Messages.printable(cause) + ")"), e);
        }
        try {
            Files.delete(t);
        } catch (IOException e) {
            AtomicWrite.deleteQuietly(t);
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String kind(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile()) {
                return null;
            }
            if (a.isSymbolicLink()) {
                return "a symbolic link";
            }
            if (a.isDirectory()) {
                return "a directory";
            }
            return "a device, FIFO or socket";
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /**
     * Writes every output to a temporary file beside its target, then renames them all into
     * place; on any failure no target is touched and the temporary files are removed.
     *
     * @throws CalibkitException naming the option, the user's path and the cause (read-only
     *         directory, disk full), never the temporary file
     */
    public static void writeTogether(List<Output> outputs) {
        List<Path> tmps = new ArrayList<>();
        try {
            for (Output o : outputs) {
                Path tmp;
                try {
                    tmp = AtomicWrite.tempFor(o.path());
                } catch (IOException e) {
                    throw failed(o, e);
                }
                tmps.add(tmp);
                try {
                    o.writer().writeTo(tmp);
                } catch (IOException e) {
                    throw failed(o, e);
                }
            }
            synchronized (COMMIT) {
                for (int i = 0; i < outputs.size(); i++) {
                    try {
                        AtomicWrite.move(tmps.get(i), outputs.get(i).path().toAbsolutePath());
                    } catch (IOException e) {
                        throw failed(outputs.get(i), e);
                    }
                    tmps.set(i, null);
                }
            }
        } finally {
            for (Path t : tmps) {
                if (t != null) {
                    try {
                        Files.deleteIfExists(t);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }
    }

    private static CalibkitException failed(Output o, IOException e) {
        String cause;
        if (e instanceof AccessDeniedException) {
            cause = "permission denied (a read-only directory?)";
        } else if (e instanceof NoSuchFileException) {
            cause = "no file can be created in " + o.path().toAbsolutePath().getParent();
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            cause = f.getReason().contains("No space") ? "the disk is full" : f.getReason();
        } else {
            cause = e.getMessage() != null && e.getMessage().contains("No space") ? "the disk is full" : e.getMessage();
        }
        return new CalibkitException("cannot write " + o.option() + " " + Messages.printable(o.path().toString()) + ": "
                + Messages.printable(cause), e);
    }
}
