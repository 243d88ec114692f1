package org.calibkit.report.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.sources.SavedPredictions;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.terminal.TerminalSummary;
import org.junit.jupiter.api.Test;

/**
 * What the audit says about outputs read as logits that look like scores ({@code ScoreCheck},
 * tested on its own in calibration): the model section's "scores" detail, a progress line, and
 * the terminal summary; nothing for plain logits or for outputs of another kind.
 */
class ScoresNoteTest {
    /**
     * 60 rows, 3 classes, label i % 3: 1.1 for the predicted class and -0.05 for the others, so
     * every row sums to 1.1 - 0.1 = 1.0 (by hand) and the values span [-0.05, 1.1]; every fifth
     * row predicts the next class (80% accuracy). {@code shift} is added to every value.
     */
    private static SavedPredictions.Split split(double shift) {
        int n = 60;
        double[] v = new double[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            int predicted = i % 5 == 0 ? (y[i] + 1) % 3 : y[i];
            for (int c = 0; c < 3; c++) {
                v[i * 3 + c] = (c == predicted ? 1.1 : -0.05) + shift;
            }
        }
        return new SavedPredictions.Split(Logits.of(v, n, 3), y);
    }

    private static AuditResult audit(OutputKind kind, double shift, boolean validation, List<String> progress) {
        SavedPredictions p = new SavedPredictions(List.of("a", "b", "c"), kind, Head.SOFTMAX, split(shift),
                validation ? Optional.of(split(shift)) : Optional.empty(), Map.of());
        return Audit.ofPredictions(p, AuditOptions.defaults().withResamples(20).withProgress(progress::add));
    }

    @Test
    void scoresGetANoteSayingTheyAreReadAsLogitsAndWhichCalibrationLearnsTheirScale() {
        List<String> progress = new ArrayList<>();
        AuditResult r = audit(OutputKind.LOGITS, 0, true, progress);
        String note = r.model().details().get(Audit.SCORES_DETAIL);
        assertTrue(note.startsWith("The outputs look like scores, not logits: values in [-0.0500, 1.10] whose rows sum to "
                + "about 1 (median 1.000, 100% of rows within 0.3 of 1)"), note);
        assertTrue(note.contains("The audit reads them as logits") && note.contains("read the calibrated numbers: temperature T=")
                && note.contains("(fitted on the validation split) learns the scale"), note);
        assertTrue(progress.contains("audit: " + note), progress.toString());
        assertTrue(TerminalSummary.summary(r, null, null).lines().anyMatch(l -> l.startsWith("test: ")
                && l.endsWith("; the outputs look like scores, not logits, and are read as logits (see the model section)")));
        assertTrue(TerminalSummary.summary(r, null, null).lines().count() <= TerminalSummary.MAX_LINES);
        assertEquals(note, AuditJson.model(r.model()).path("details").path("scores").asText());
        // read as logits, a spread of 1.15 caps the confidence at e^1.15 / (e^1.15 + 2) = 0.612 (by hand), under the
        // 80% accuracy: the temperature learned is below 1
        assertTrue(r.test().temperature() < 1, "T " + r.test().temperature());
    }

    @Test
    void withoutCalibrationTheNoteSaysOnlyAccuracyAndRankingsMeanSomething() {
        String note = audit(OutputKind.LOGITS, 0, false, new ArrayList<>()).model().details().get(Audit.SCORES_DETAIL);
        assertTrue(note.contains("only accuracy and rankings mean something here; with a validation split, temperature or "
                + "vector scaling learns the scale"), note);
    }

    @Test
    void plainLogitsAndOtherKindsGetNoNote() {
        // shifted by 3 the rows sum to 1 + 3 x 3 = 10 and the values reach 4.1: logits
        AuditResult shifted = audit(OutputKind.LOGITS, 3, true, new ArrayList<>());
        assertFalse(shifted.model().details().containsKey(Audit.SCORES_DETAIL));
        assertFalse(TerminalSummary.summary(shifted, null, null).contains("scores"));
        // outputs of another kind (here the same numbers stated as log-probabilities) are not logits as they are: no note
        AuditResult stated = audit(OutputKind.LOG_PROBABILITIES, 0, true, new ArrayList<>());
        assertFalse(stated.model().details().containsKey(Audit.SCORES_DETAIL));
    }
}
