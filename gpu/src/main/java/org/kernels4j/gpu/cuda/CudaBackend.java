package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * The CUDA backend on the first CUDA device. In this build it discovers the device and reports what it
 * finds; its GEMM kernels are not here yet, and it says so rather than computing anything.
 *
 * <p>Thread-safe: immutable.
 */
public final class CudaBackend implements Backend {
    public static final String NAME = "cuda";
    static final String GEMM_MISSING = "CUDA GEMM kernels arrive with issue 7 (not in this build)";

    private final Device device;

    CudaBackend(Device device) {
        this.device = Objects.requireNonNull(device, "device");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return availability().available() ? Availability.no(GEMM_MISSING) : availability();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(a, b, c);
        throw new BackendUnavailableException(NAME, supports(spec).reason());
    }

    /** Holds no driver resources yet (no context is created), so there is nothing to release. */
    @Override
    public void close() {
    }
}
