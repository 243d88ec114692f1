package org.calibkit.cli.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.calibkit.calibration.Logits;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.monitor.Monitor;
import org.calibkit.report.monitor.MonitorResult;
import org.calibkit.report.monitor.Reference;

/** An .npy prediction log monitored window by window, never held whole. */
final class NpyLogStream {
    private NpyLogStream() {
    }

    /** Whether the log is an .npy matrix (and its labels, if any, an .npy vector): read window by window. */
    static boolean streams(Path log, Path labels) {
        return log.getFileName() != null && log.getFileName().toString().endsWith(".npy")
                && (labels == null || labels.getFileName() != null && labels.getFileName().toString().endsWith(".npy"));
    }

    /**
     * Monitors an .npy log without holding it: each window's rows (and labels) are read from the
     * files as the window comes, so memory stays that of one window however long the log is.
     */
    static MonitorResult monitor(MonitorJob job, ResolvedReference ref, Consumer<String> progress) {
        int k = ref.classNames().size();
        Reference reference = ref.reference();
        try (org.calibkit.calibration.io.Npy.Rows out = openNpy(job.log(), "prediction log");
             org.calibkit.calibration.io.Npy.Rows lab = job.logLabels() == null ? null : openNpy(job.logLabels(), "labels")) {
            if (out.rank() != 2) {
                throw new CalibkitException("prediction log " + job.log() + " is a 1-D array of " + out.rows() + " values; "
                        + "expected one row of " + k + " outputs per prediction");
            }
            if (out.columns() != k) {
                throw new CalibkitException("prediction log " + job.log() + " has " + out.columns() + " output columns, but the "
                        + "reference " + ref.source() + " has " + k);
            }
            if (lab != null && (lab.rank() != 1 || !lab.isInteger() || lab.rows() != out.rows())) {
                throw new CalibkitException("labels " + job.logLabels() + " must be " + out.rows() + " integers (one per row of "
                        + job.log() + ", -1 where none arrived), but hold " + lab.rows() + " x " + lab.columns() + " "
                        + lab.dtypeName());
            }
            long n = out.rows();
            int first = (int) Math.min(n, 1000);
            ref.checkLogKind(out.slice(0, first).doubles(), first, k, job.log());
            progress.accept("monitor: log " + job.log() + ": " + n + " rows" + (lab == null ? " without labels" : " with labels")
                    + ", read window by window");
            int size = job.options().window();
            java.util.Iterator<Monitor.WindowRows> windows = new java.util.Iterator<>() {
                private long next;

                @Override
                public boolean hasNext() {
                    return next < n;
                }

                @Override
                public Monitor.WindowRows next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    long from = next;
                    int m = (int) Math.min(size, n - from);
                    next += m;
                    Logits z;
                    try {
                        z = ref.kind().toLogits(out.slice(from, m).doubles(), m, k);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("rows " + from + "-" + (from + m - 1) + " ("
                                + ref.kind().id().replace('_', ' ') + " like the reference): " + e.getMessage(), e);
                    }
                    int[] y = null;
                    if (lab != null) {
                        long[] v = lab.slice(from, m).longs();
                        y = new int[m];
                        for (int j = 0; j < m; j++) {
                            if (v[j] < -1 || v[j] >= k) {
                                throw new IllegalArgumentException("label " + v[j] + " at row " + (from + j) + " of "
                                        + job.logLabels() + " is outside [0, " + k + ") (or -1 for none)");
                            }
                            y[j] = (int) v[j];
                        }
                    }
                    return new Monitor.WindowRows("rows " + from + "-" + (from + m - 1), from, z, y);
                }
            };
            return Monitor.stream(reference, windows, job.log().toString(), size + " rows", job.options(), progress);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException("prediction log " + job.log() + ": " + e.getMessage(), e);
        }
    }

    private static org.calibkit.calibration.io.Npy.Rows openNpy(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new CalibkitException(what + " " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        try {
            return org.calibkit.calibration.io.Npy.open(file);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CalibkitException(what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
