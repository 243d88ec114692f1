package org.calibkit.report.doctor;

import java.util.Locale;
import java.util.Map;

/** The doctor's findings as plain text for a terminal. */
public final class DoctorText {
    private DoctorText() {
    }

    /** Renders the result: the verdict first, then the table of conventions, the metadata, contradictions and notes. */
    public static String render(DoctorResult r) {
        StringBuilder b = new StringBuilder();
        DoctorResult.Candidate g = r.given();
        DoctorResult.Candidate best = r.best();
        b.append(String.format(Locale.ROOT, "doctor: %s (%s) on %d images of %s (seed %d), %d conventions in %.1f s%n",
                r.model(), r.modelType(), r.sample(), r.data(), r.seed(), r.candidates().size(), r.seconds()));
        b.append("searched: ").append(r.searched()).append('\n');
        b.append(String.format(Locale.ROOT, "given flags: %s = %s: rank %d of %d, accuracy %.1f%%, NLL %.3f%n",
                g.flags().isEmpty() ? "(none)" : g.flags(), g.label(), r.givenRank(), r.candidates().size(),
                100 * g.accuracy(), g.nll()));
        if (best.given()) {
            // with the flags spelled out: they include any channel conversion the doctor had to add (see the notes)
            b.append("best: the given flags, ").append(best.flags().isEmpty() ? "(none)" : best.flags()).append('\n');
        } else {
            b.append(String.format(Locale.ROOT, "best: %s = %s: accuracy %.1f%%, NLL %.3f%n",
                    best.flags().isEmpty() ? "(no flags)" : best.flags(), best.label(), 100 * best.accuracy(), best.nll()));
        }
        InputCheck.check(r).ifPresent(v -> b.append("verdict: ").append(v.message()).append('\n'));
        r.tie().ifPresent(t -> b.append("tie: ").append(t).append('\n'));
        for (String c : r.contradictions()) {
            b.append("contradiction: ").append(c).append('\n');
        }
        b.append(String.format(Locale.ROOT, "%n%4s  %-58s %8s %7s %9s %6s %7s  %s%n", "rank", "convention", "accuracy", "NLL",
                "mean conf", ">0.99", "ECE", "flags"));
        int i = 1;
        for (DoctorResult.Candidate c : r.candidates()) {
            b.append(String.format(Locale.ROOT, "%4d%s %-58s %7.1f%% %7.3f %9.4f %5.0f%% %7.4f  %s%s%n", i++, c.given() ? "*" : " ",
                    c.label(), 100 * c.accuracy(), c.nll(), c.meanConfidence(), 100 * c.over99(), c.ece(),
                    c.flags().isEmpty() ? "(none)" : c.flags(), c.stoppedEarly() ? "  [stopped after " + c.images()
                            + " images]" : ""));
        }
        b.append("* the given flags\n");
        if (!r.metadata().isEmpty()) {
            b.append("\nmodel metadata:\n");
            for (Map.Entry<String, String> e : r.metadata().entrySet()) {
                b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        for (String n : r.notes()) {
            b.append("note: ").append(n).append('\n');
        }
        return b.toString();
    }
}
