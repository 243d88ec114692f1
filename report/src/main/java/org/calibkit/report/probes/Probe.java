package org.calibkit.report.probes;

/**
 * A named, seeded generator or loader of images a model should not be sure about. The same
 * {@link ProbeContext} always gives the same pixels.
 */
public interface Probe {
    /** The probe's name as {@code --probes} and the report know it, e.g. {@code blank-black}. */
    String name();

    /** One plain sentence for the report: what the images are. */
    String description();

    /**
     * The probe's kind in general. A probe whose kind depends on the model (e.g. {@code usps}: a
     * shift for a digit model, out of distribution otherwise) answers for its usual case here and
     * for a given model in {@link #kindFor(ProbeContext)} and in its {@link ProbeImages#kind()}.
     */
    ProbeKind kind();

    /** The kind for the model described by {@code ctx}; the same as {@link #kind()} unless the probe says otherwise. */
    default ProbeKind kindFor(ProbeContext ctx) {
        return kind();
    }

    /**
     * Generates (or loads) the probe's images for the model described by {@code ctx}.
     *
     * @throws ProbeUnavailableException (with a reason a user can act on) when its data are absent
     *                                   or it does not apply to this model
     */
    ProbeImages generate(ProbeContext ctx);
}
