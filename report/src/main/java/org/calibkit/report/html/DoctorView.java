package org.calibkit.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.doctor.DoctorSection;
import org.calibkit.report.render.Format;

/**
 * The doctor's section (doctor.jte): what the audit's quick input check tried, where the given
 * flags rank, the flags to pass, the best conventions with accuracy, NLL, mean confidence, the
 * share above 0.99 and ECE, what tells tied conventions apart, and the model's own metadata with
 * any contradiction of the flags. Public because the precompiled templates live in another package.
 *
 * @param skipReason     why the check did not run, or null
 * @param headline       one sentence: where the given flags rank and what is best
 * @param flags          the flags to pass, each with its value ("(none)" when none are needed)
 * @param fits           whether the given flags are the best convention
 * @param verdict        the input-check verdict, or null when the given flags fit
 * @param tie            what separates conventions that tie on accuracy, or null
 * @param searched       what was tried, in words
 * @param rows           the ranking's rows, best first, the given flags' last when they rank lower
 * @param more           a sentence on the conventions not shown, or null
 * @param metadata       the model's own metadata
 * @param contradictions where it contradicts the flags
 * @param notes          the doctor's notes
 */
public record DoctorView(String skipReason, String headline, List<String> flags, boolean fits, String verdict, String tie,
                         String searched, List<Row> rows, String more, List<ReportView.Fact> metadata,
                         List<String> contradictions, List<String> notes) {

    /** One convention, formatted ({@code flags} as in {@link #groups}); {@code gap} marks a row that does not follow the one before it. */
    public record Row(String rank, String convention, List<String> flags, String accuracy, String nll, String meanConfidence,
                      String over99, String ece, String images, boolean given, boolean best, boolean gap) {
    }

    /** The view, or null when the audit ran no input check. */
    public static DoctorView of(AuditResult r) {
        DoctorSection s = r.doctor();
        if (s == null) {
            return null;
        }
        if (s.skipped()) {
            return new DoctorView(s.skipReason(), null, null, false, null, null, null, List.of(), null, List.of(),
                    List.of(), List.of());
        }
        DoctorResult.Candidate g = s.given();
        DoctorResult.Candidate b = s.best();
        boolean fits = b.given();
        String headline = fits
                ? String.format(Locale.ROOT, "The given flags rank first of %d input conventions tried (accuracy %s).",
                s.conventions(), Format.pct(g.accuracy()))
                : String.format(Locale.ROOT, "The given flags rank %d of %d input conventions tried: %s accuracy, "
                        + "against %s with the best.", s.givenRank(), s.conventions(), Format.pct(g.accuracy()),
                Format.pct(b.accuracy()));
        List<Row> rows = new ArrayList<>();
        int previous = 0;
        for (DoctorSection.Ranked k : s.ranking()) {
            DoctorResult.Candidate c = k.candidate();
            rows.add(new Row(Integer.toString(k.rank()), c.label(), groups(c.flags()),
                    Format.pct(c.accuracy()), Format.num(c.nll()), Format.num(c.meanConfidence()), Format.pct(c.over99()),
                    Format.num(c.ece()), c.stoppedEarly() ? c.images() + " (stopped early)" : Integer.toString(c.images()),
                    c.given(), k.rank() == 1, k.rank() != previous + 1));
            previous = k.rank();
        }
        int hidden = s.conventions() - s.ranking().size();
        int hiddenStopped = s.stoppedEarly() - (int) s.ranking().stream().filter(k -> k.candidate().stoppedEarly()).count();
        String more = hidden <= 0 ? null : String.format(Locale.ROOT, "%d more conventions ranked lower%s; "
                        + "calibkit doctor lists them all.", hidden,
                hiddenStopped > 0 ? " (" + hiddenStopped + " of them stopped after the first look, being clearly worse)" : "");
        List<ReportView.Fact> md = new ArrayList<>();
        for (Map.Entry<String, String> e : s.metadata().entrySet()) {
            md.add(new ReportView.Fact(e.getKey(), e.getValue()));
        }
        String searched = String.format(Locale.ROOT, "%s images of %s (seed %d), %d conventions in %s: %s.",
                Format.count(s.sample()), s.data(), s.seed(), s.conventions(), Format.seconds(s.seconds()), s.searched());
        return new DoctorView(null, headline, groups(b.flags()), fits, s.verdict(), s.tie(),
                searched, rows, more, md, s.contradictions(), s.notes());
    }

    /**
     * The flags split into each flag with its value ({@code --scale 1/255}, {@code --layout flat-hwc-t}),
     * which the template keeps on one line each, so lines break only between flags (not after a
     * hyphen) and what is copied is plain text; {@code (none)} for none.
     */
    static List<String> groups(String flags) {
        if (flags.isEmpty()) {
            return List.of("(none)");
        }
        return List.of(flags.split(" (?=--)"));
    }
}
