package org.calibkit.report.monitor;

import java.util.List;
import java.util.Objects;

import org.calibkit.calibration.shift.Estimate;

/**
 * What a monitor run found, as plain data; its JSON twin is {@link MonitorJson}.
 *
 * @param referenceAccuracy  the validation accuracy the estimates are compared with
 * @param referenceRows      validation rows
 * @param calibration        the temperature map fitted on the validation outputs, described
 * @param primary            the estimator whose estimate alerts
 * @param unfamiliarScore    the OOD score the unfamiliarity threshold is on ({@link Reference#SCORES})
 * @param unfamiliarBelow    a row is unfamiliar when that score is below this
 * @param options            the settings
 * @param windows            every window, in log order
 * @param alerts             every alert, in log order
 * @param source             where the log came from, as shown
 * @param windowing          how the log was cut: {@code 500 rows}, or a duration such as {@code 1d}
 */
public record MonitorResult(double referenceAccuracy, int referenceRows, String calibration, String primary,
                            String unfamiliarScore, double unfamiliarBelow, MonitorOptions options, List<Window> windows, List<Alert> alerts,
                            String source, String windowing) {
    /** The JSON schema version {@link MonitorJson} writes. */
    public static final int SCHEMA_VERSION = 1;

    public MonitorResult {
        windows = List.copyOf(windows);
        alerts = List.copyOf(alerts);
        Objects.requireNonNull(source, "source");
    }

    /**
     * One window of the log.
     *
     * @param index           0, 1, ... in log order
     * @param name            what the window is: {@code rows 0-499}, or its day/hour for time windows
     * @param firstRow        its first row in the log (from 0)
     * @param rows            rows in it
     * @param meanConfidence  mean calibrated top probability
     * @param estimates       every estimator's estimate, the primary one first
     * @param bandLower       the primary estimate alerts below this
     * @param unfamiliarShare share of rows below the unfamiliarity threshold
     * @param unfamiliarLimit the share above which it alerts
     * @param classMixP       p-value of the chi-square test of its predicted classes against the reference's shares
     * @param labelled        rows with a label
     * @param accuracy        realised accuracy on the labelled rows (NaN without labels)
     * @param ece             realised ECE of the calibrated probabilities on them (NaN without labels)
     */
    public record Window(int index, String name, long firstRow, int rows, double meanConfidence, List<Estimate> estimates,
                         double bandLower, double unfamiliarShare, double unfamiliarLimit, double classMixP, int labelled,
                         double accuracy, double ece) {
        public Window {
            estimates = List.copyOf(estimates);
        }

        /** The primary estimator's estimate. */
        public Estimate primary() {
            return estimates.get(0);
        }

        /** |estimate - realised accuracy|, NaN without labels. */
        public double estimateError() {
            return labelled == 0 ? Double.NaN : Math.abs(primary().accuracy() - accuracy);
        }
    }

    /**
     * One alert.
     *
     * @param window  the window's index
     * @param kind    {@code accuracy}, {@code unfamiliar} or {@code class_mix}
     * @param message what left its band, in numbers
     */
    public record Alert(int window, String kind, String message) {
    }

    /** The p-value below which a window's class mix alerts: {@code classMixP / windows} (Bonferroni). */
    public double classMixLevel() {
        return options.classMixP() / Math.max(1, windows.size());
    }

    /** The first window with an alert, or -1. */
    public int firstAlertWindow() {
        return alerts.isEmpty() ? -1 : alerts.get(0).window();
    }
}
