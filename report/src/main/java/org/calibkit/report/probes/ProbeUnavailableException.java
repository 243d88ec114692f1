package org.calibkit.report.probes;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.DataUnavailableException;

/**
 * A probe cannot run for this model: its data are not on this machine (the message is the
 * loader's, saying where to put the files) or it does not apply (e.g. a probe from the model's
 * own data set). {@link Probes#generate} turns it into a skipped {@link ProbeOutcome} whose
 * reason is this message.
 */
public final class ProbeUnavailableException extends CalibkitException {
    private static final long serialVersionUID = 1L;

    public ProbeUnavailableException(String message) {
        super(message);
    }

    /** The probe's data are not on this machine: the loader's message, saying where to put the files. */
    public ProbeUnavailableException(DataUnavailableException cause) {
        super(cause.getMessage(), cause);
    }
}
