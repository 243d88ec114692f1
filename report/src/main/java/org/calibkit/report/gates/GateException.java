package org.calibkit.report.gates;

/**
 * A gate that cannot be used: it does not parse, or names a key the audit's JSON does not have,
 * or a key whose value is not a number. A usage error (exit code 2 on the command line), not a
 * failing gate.
 */
public final class GateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GateException(String message) {
        super(message);
    }
}
