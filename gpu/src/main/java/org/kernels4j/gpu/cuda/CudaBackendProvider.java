package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Registers the CUDA backend, first in dispatch order: a GPU beats every CPU backend. In this build it
 * discovers the device and reports what it finds; its GEMM kernels are not here yet, and it says so. Links no JCuda
 * class itself, so the provider loads on every machine and a missing driver becomes a reason.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final String NAME = "cuda";
    static final String GEMM_MISSING = "CUDA GEMM kernels arrive with issue 7 (not in this build)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Backend create(BackendContext context) {
        Objects.requireNonNull(context, "context");
        return new DeviceOnlyBackend(CudaDiscovery.discover(), GEMM_MISSING);
    }
}
