package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;

/**
 * Registers the CUDA backend, first in dispatch order: a GPU beats every CPU backend. Links no JCuda
 * class itself, so the provider loads on every machine and a missing driver becomes a reason.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Backend create(BackendContext context) {
        Objects.requireNonNull(context, "context");
        return new CudaBackend(CudaDiscovery.discover());
    }
}
