package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Registers the CUDA backend, first in dispatch order: a GPU beats every CPU backend. Links no JCuda class
 * itself, so the provider loads on every machine: a missing driver, a failing cuInit, no device or a
 * fatbin without code for the device becomes the reason of a {@link DeviceOnlyBackend}, and so does a
 * context or module that fails to load.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final String NAME = "cuda";

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
        CudaDiscovery.Discovered found = CudaDiscovery.discover();
        if (found.info().isEmpty()) {
            return new DeviceOnlyBackend(found.device(), found.device().availability().reason());
        }
        try {
            byte[] fatbin = CudaFatbin.bytes().orElseThrow();
            return new CudaBackend(found.device(), CudaContext.open(found.info().get().ordinal(), fatbin));
        } catch (CudaException e) {
            Device listed = found.device();
            Availability failed = Availability.no("loading the kernels4j module: " + e.getMessage());
            return new DeviceOnlyBackend(new Device(NAME, listed.name(), listed.kind(), listed.dtypes(), failed), failed.reason());
        }
    }
}
