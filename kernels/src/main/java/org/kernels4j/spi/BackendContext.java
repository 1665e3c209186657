package org.kernels4j.spi;

/**
 * Settings a {@link org.kernels4j.Kernels}-wide policy passes to every backend it creates.
 *
 * @param threads how many threads CPU backends may use (at least 1)
 */
public record BackendContext(int threads) {
    public BackendContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
    }

    /** One thread per available processor. */
    public static BackendContext defaults() {
        return new BackendContext(Runtime.getRuntime().availableProcessors());
    }
}
