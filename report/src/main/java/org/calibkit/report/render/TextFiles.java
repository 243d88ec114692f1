package org.calibkit.report.render;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.calibration.io.AtomicWrite;

/** How every page and JSON file of a report is written: UTF-8, atomically. */
public final class TextFiles {
    private TextFiles() {
    }

    /** Writes {@code text} to {@code file} as UTF-8 atomically (a temporary file in the same directory, then a move). */
    public static void writeUtf8(Path file, String text) {
        Objects.requireNonNull(file, "file");
        AtomicWrite.writeUnchecked(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
