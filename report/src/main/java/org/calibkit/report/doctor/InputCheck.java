package org.calibkit.report.doctor;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.open.ModelType;

/**
 * The audit's first verdict when the input does not fit the model: accuracy near chance with
 * the given flags, or far below what another input convention reaches on the same images.
 */
public final class InputCheck {
    /** The verdict's key in an audit report. */
    public static final String CHECK = "input_convention";
    /** Accuracy this far below the best convention's is "far below". */
    public static final double FAR_BELOW = 0.15;

    private InputCheck() {
    }

    /**
     * The verdict as data.
     *
     * @param given      accuracy with the given flags
     * @param chance     1 / classes
     * @param best       accuracy of the best convention
     * @param bestFlags  the flags that reach it ("" for none)
     * @param bestLabel  that convention in words
     * @param message    one sentence for the summary
     */
    public record Verdict(double given, double chance, double best, String bestFlags, String bestLabel, String message) {
    }

    /**
     * What the audit's quick check found.
     *
     * @param section the report's doctor section (a skipped one when the check could not run)
     * @param verdict the first verdict, or empty when the given flags fit (or the check was skipped)
     */
    public record Quick(DoctorSection section, Optional<Verdict> verdict) {
    }

    /**
     * The audit's quick check: {@link Doctor#run} with {@link DoctorOptions#quick()} on these
     * images, then {@link #check}.
     *
     * @param progress gets one line saying what the check found
     */
    public static Quick quick(Path model, ModelType type, ModelOptions options, ImageSet images,
                              Consumer<String> progress) {
        DoctorResult r;
        try {
            r = Doctor.run(model, type, options, images, DoctorOptions.quick());
        } catch (CalibkitException e) { // the audit itself says what is wrong with the model
            progress.accept("audit: input check skipped: " + e.getMessage());
            return new Quick(DoctorSection.skipped(e.getMessage()), Optional.empty());
        }
        Optional<Verdict> v = check(r);
        progress.accept(String.format(Locale.ROOT, "audit: input check (doctor, %d images, %d conventions, %.1f s): %s",
                r.sample(), r.candidates().size(), r.seconds(), v.map(Verdict::message).orElse("the given flags fit")));
        return new Quick(DoctorSection.of(r), v);
    }

    /** The verdict, or empty when the given flags are fine (not near chance, not far below another convention). */
    public static Optional<Verdict> check(DoctorResult r) {
        DoctorResult.Candidate g = r.given();
        DoctorResult.Candidate b = r.best();
        double chance = 1.0 / r.classes();
        boolean nearChance = g.accuracy() < Math.min(2 * chance, chance + 0.1);
        DoctorResult.Candidate top = b;
        for (DoctorResult.Candidate c : r.candidates()) {
            if (c.accuracy() > top.accuracy() && !c.stoppedEarly()) {
                top = c; // the most accurate, when the best by NLL is not
            }
        }
        boolean farBelow = !top.given() && top.accuracy() - g.accuracy() >= FAR_BELOW;
        if (!nearChance && !farBelow) {
            return Optional.empty();
        }
        if (top != b && Doctor.tie(b, top).isPresent()) {
            top = b; // as accurate within sampling noise: name the best by NLL, the flags the doctor names
        }
        String msg;
        if (farBelow) {
            msg = String.format(Locale.ROOT, "%.1f%% accuracy as given%s; %.1f%% with %s: pass %s or check how the model "
                            + "was trained", 100 * g.accuracy(), nearChance ? String.format(Locale.ROOT, " (chance is %.1f%%)",
                            100 * chance) : "", 100 * top.accuracy(), top.label(),
                    top.flags().isEmpty() ? "no preprocessing flags" : top.flags());
        } else {
            msg = String.format(Locale.ROOT, "%.1f%% accuracy as given is near chance (%.1f%%) and no input convention tried "
                    + "does better: the images do not match the model, or its output columns are not these classes "
                    + "(check --class-names and how the model was trained)", 100 * g.accuracy(), 100 * chance);
        }
        return Optional.of(new Verdict(g.accuracy(), chance, top.accuracy(), top.flags(), top.label(), msg));
    }
}
