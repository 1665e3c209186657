package org.kernels4j;

import java.util.Set;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/** Stands in for a backend whose provider failed to load or to create it, so that the failure stays visible. */
final class UnloadableBackend implements Backend {
    private final Device device;

    UnloadableBackend(String name, String reason) {
        this.device = new Device(name, "(not loaded)", Device.Kind.CPU, Set.of(), Availability.no(reason));
    }

    @Override
    public String name() {
        return device.backend();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        return availability();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        throw new BackendUnavailableException(name(), availability().reason());
    }

    @Override
    public void close() {
    }
}
