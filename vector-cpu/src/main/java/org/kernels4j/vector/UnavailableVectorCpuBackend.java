package org.kernels4j.vector;

import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/** Stands in for the Vector API backend where it cannot run, so that {@code devices()} shows why. Links no incubator class. */
final class UnavailableVectorCpuBackend implements Backend {
    private final Device device;

    UnavailableVectorCpuBackend(String reason) {
        this.device = new Device(VectorCpuBackendProvider.NAME, CpuInfo.detect().modelName(), Device.Kind.CPU, Set.of(),
                Availability.no(reason));
    }

    @Override
    public String name() {
        return VectorCpuBackendProvider.NAME;
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
