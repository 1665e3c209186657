package org.kernels4j.reference;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;

/** Registers the reference backend, last in dispatch order. */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Backend create(BackendContext context) {
        return new ReferenceBackend();
    }
}
