package org.calibkit.core.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.Messages;

/**
 * Why a model worker died, in one line: the signal and the engine it crashed in (read from the
 * JVM's {@code hs_err} crash log in the worker's directory, or from the exit code), TensorFlow's
 * fatal "Check failed" line when it printed one, else the exit code and the last lines of its
 * standard error.
 */
final class Crash {
    private static final Pattern SIGNAL = Pattern.compile("#\\s+(SIG[A-Z]+) \\(0x[0-9a-f]+\\)");
    private static final Pattern FRAME = Pattern.compile("# Problematic frame:\\s*#\\s*\\S+\\s+\\[([^\\]+]+)");
    private static final Map<Integer, String> SIGNALS = Map.of(4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE",
            9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private Crash() {
    }

    /**
     * The failure of a worker that exited with {@code code} while {@code doing}, its standard error
     * {@code err}, its directory {@code dir}, running {@code engine} ("ONNX Runtime").
     */
    static CalibkitException explain(int code, String err, Path dir, String engine, String doing) {
        Optional<String> log = crashLog(dir);
        String signal = log.map(SIGNAL::matcher).filter(Matcher::find).map(m -> m.group(1))
                .orElse(code > 128 ? SIGNALS.getOrDefault(code - 128, "signal " + (code - 128)) : null);
        String crashed = log.map(FRAME::matcher).filter(Matcher::find).map(m -> engineOf(m.group(1))).orElse(engine);
        if (signal == null) {
            return new CalibkitException("the model worker stopped with exit code " + code + " while " + doing
                    + (err.isBlank() ? "" : ": " + Messages.oneLine(lastLines(err, 3), 300)));
        }
        String detail = nativeReason(err).map(r -> ": " + r).orElse("");
        return new CalibkitException("the model crashed " + crashed + " while " + doing + " (signal " + signal + detail
                + "); the file is unusable");
    }

    private static String engineOf(String library) {
        String l = library.toLowerCase(Locale.ROOT);
        if (l.contains("onnxruntime")) {
            return "ONNX Runtime";
        }
        if (l.contains("tensorflow")) {
            return "TensorFlow";
        }
        return "native code (" + library + ")";
    }

    /** TensorFlow's fatal line ("F ... Check failed: ..."), when it printed one. */
    private static Optional<String> nativeReason(String err) {
        for (String line : err.split("\\R")) {
            int at = line.indexOf("Check failed:");
            if (at >= 0) {
                return Optional.of(Messages.oneLine(line.substring(at), 200));
            }
        }
        return Optional.empty();
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\\R");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    private static Optional<String> crashLog(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            Optional<Path> f = s.filter(p -> p.getFileName().toString().startsWith("hs_err")).findFirst();
            if (f.isEmpty()) {
                return Optional.empty();
            }
            byte[] b = Files.readAllBytes(f.get());
            return Optional.of(new String(b, 0, Math.min(b.length, 1 << 16), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
