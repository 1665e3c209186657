package org.kernels4j.spi;

/**
 * Service interface found with {@link java.util.ServiceLoader}: one per backend folder.
 *
 * <p>A provider must be loadable on every JVM: it links nothing optional (incubator modules, native
 * libraries) until {@link #create} runs, and it reports a missing piece through an unavailable
 * {@link Backend} rather than by throwing, so that one broken backend never hides the others.
 */
public interface BackendProvider {
    /** Backend name, as {@link Backend#name()}. */
    String name();

    /** Dispatch order: the available backend with the highest priority that supports a spec runs it. */
    int priority();

    /** Makes the backend; an unavailable one reports why through {@link Backend#availability()}. */
    Backend create(BackendContext context);
}
