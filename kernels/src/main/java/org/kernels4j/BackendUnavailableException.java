package org.kernels4j;

/** Thrown when a backend chosen by name cannot run (not loaded, no device, or the spec is not supported). */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String backend;

    public BackendUnavailableException(String backend, String reason) {
        super(backend + ": " + reason);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }
}
