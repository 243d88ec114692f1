package org.calibkit.core.data;

import org.calibkit.core.CalibkitException;

/**
 * A data set (or one split of it) is not on this machine and could not be acquired. The message
 * says where the files were looked for and exactly where to put them.
 */
public class DataUnavailableException extends CalibkitException {
    private static final long serialVersionUID = 1L;

    public DataUnavailableException(String message) {
        super(message);
    }
}
