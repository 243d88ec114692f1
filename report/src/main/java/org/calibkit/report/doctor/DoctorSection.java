package org.calibkit.report.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The doctor's section of an audit report, as plain data: what the audit's quick input check
 * tried, the best few conventions (and the given flags' wherever they rank), the flags to pass,
 * the verdict, what separates conventions that tie on accuracy, and the model's own metadata
 * with any contradiction of the flags. Built from a {@link DoctorResult} by {@link #of}, or
 * {@link #skipped} when the check could not run. An audit with {@code --no-doctor}, of a
 * calibkit bundle or of saved predictions has no such section.
 *
 * @param skipReason     why the check did not run, or null when it ran (then every other field is set)
 * @param data           the data set's name and split the sample came from
 * @param sample         images in the seeded sample
 * @param seed           the sample's seed
 * @param searched       what was tried, in words
 * @param conventions    conventions tried
 * @param stoppedEarly   of them, stopped after the first look for being clearly worse
 * @param seconds        wall-clock time of the check
 * @param ranking        the best {@value #TOP} by NLL, then the given flags' row when it ranks lower
 * @param givenRank      1-based rank of the given flags among all conventions
 * @param given          the convention the given flags amount to
 * @param best           the best convention
 * @param verdict        the input-check verdict's sentence, or null when the given flags fit
 * @param tie            what separates the best from the given (or second-best) convention when they tie on accuracy, or null
 * @param metadata       the model's own metadata, in the order read
 * @param contradictions where that metadata contradicts the flags, one sentence each
 * @param notes          anything else the doctor noted (output kind, a stripped softmax)
 */
public record DoctorSection(String skipReason, String data, int sample, long seed, String searched, int conventions,
                            int stoppedEarly, double seconds, List<Ranked> ranking, int givenRank,
                            DoctorResult.Candidate given, DoctorResult.Candidate best, String verdict, String tie,
                            Map<String, String> metadata, List<String> contradictions, List<String> notes) {
    /** Conventions shown at the top of the ranking. */
    public static final int TOP = 5;

    public DoctorSection {
        ranking = List.copyOf(ranking);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        contradictions = List.copyOf(contradictions);
        notes = List.copyOf(notes);
        if (skipReason == null) {
            Objects.requireNonNull(given, "given");
            Objects.requireNonNull(best, "best");
        }
    }

    /**
     * One row of the ranking.
     *
     * @param rank      1-based, by NLL (those stopped early after the others)
     * @param candidate the convention and its numbers
     */
    public record Ranked(int rank, DoctorResult.Candidate candidate) {
    }

    /** True when the check did not run. */
    public boolean skipped() {
        return skipReason != null;
    }

    /** The flags to pass for the best convention ("" when none are needed). */
    public String flagsToPass() {
        return best == null ? "" : best.flags();
    }

    /** The section of a check that ran. */
    public static DoctorSection of(DoctorResult r) {
        List<Ranked> rows = new ArrayList<>();
        List<DoctorResult.Candidate> c = r.candidates();
        for (int i = 0; i < Math.min(TOP, c.size()); i++) {
            rows.add(new Ranked(i + 1, c.get(i)));
        }
        if (r.givenRank() > TOP) {
            rows.add(new Ranked(r.givenRank(), r.given()));
        }
        int stopped = (int) c.stream().filter(DoctorResult.Candidate::stoppedEarly).count();
        return new DoctorSection(null, r.data(), r.sample(), r.seed(), r.searched(), c.size(), stopped, r.seconds(), rows,
                r.givenRank(), r.given(), r.best(), InputCheck.check(r).map(InputCheck.Verdict::message).orElse(null),
                r.tie().orElse(null), r.metadata(), r.contradictions(), r.notes());
    }

    /** The section of a check that could not run, saying why. */
    public static DoctorSection skipped(String reason) {
        return new DoctorSection(Objects.requireNonNull(reason, "reason"), null, 0, 0, null, 0, 0, 0, List.of(), 0, null,
                null, null, null, Map.of(), List.of(), List.of());
    }
}
