package org.kernels4j.report;

/** A results file that cannot be used: unreadable, not JSON, not a kernels4j results file, another schema version, or missing a field. */
public final class ResultsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResultsFormatException(String message) {
        super(message);
    }
}
