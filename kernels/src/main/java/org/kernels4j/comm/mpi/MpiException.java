package org.kernels4j.comm.mpi;

/**
 * An MPI function returned an error code. The message names the function, the code and Open MPI's text
 * for it ({@code MPI_Error_string}).
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class MpiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int errorCode;

    MpiException(String function, int errorCode, String errorText) {
        super(function + " failed: " + errorText + " (error code " + errorCode + ")");
        this.function = function;
        this.errorCode = errorCode;
    }

    /** The MPI function, e.g. {@code MPI_Isend}. */
    public String function() {
        return function;
    }

    public int errorCode() {
        return errorCode;
    }
}
