package org.calibkit.report.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.calibkit.core.ImageSet;

/**
 * Which inputs the gallery shows: the most confident wrong answers on the test split, and each
 * probe's most confident answers (wrong ones only, on a labelled probe). Indices only, ties in
 * row order; the images travel as {@link AuditResult.Pixels} and the HTML layer draws them.
 */
final class GallerySelection {
    /** Gallery items of the test split at most. */
    static final int PER_SECTION = 12;
    /** Gallery items per probe at most. */
    static final int PER_PROBE = 4;

    private GallerySelection() {
    }

    /** Rows with {@code correct[i]} false, most confident first, at most {@code cap}. */
    static List<Integer> mostConfidentWrong(double[] confidence, boolean[] correct, int cap) {
        boolean[] candidate = new boolean[correct.length];
        for (int i = 0; i < correct.length; i++) {
            candidate[i] = !correct[i];
        }
        return top(confidence, candidate, cap);
    }

    /**
     * A probe's most confident rows, at most {@code cap}; with labels ({@code labels} not null) a
     * right answer is skipped: on a shift probe it is no finding.
     */
    static List<Integer> mostConfident(double[] confidence, int[] predicted, int[] labels, int cap) {
        boolean[] candidate = new boolean[confidence.length];
        for (int i = 0; i < candidate.length; i++) {
            candidate[i] = labels == null || predicted[i] != labels[i];
        }
        return top(confidence, candidate, cap);
    }

    private static List<Integer> top(double[] confidence, boolean[] candidate, int cap) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < candidate.length; i++) {
            if (candidate[i]) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.comparingDouble((Integer i) -> -confidence[i])); // stable: ties stay in row order
        return List.copyOf(rows.subList(0, Math.min(cap, rows.size())));
    }

    /** Row {@code i}'s pixels, when there are images. */
    static Optional<AuditResult.Pixels> pixels(Optional<ImageSet> images, int i) {
        return images.map(s -> new AuditResult.Pixels(s.channels(), s.height(), s.width(), s.image(i)));
    }
}
