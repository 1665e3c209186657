package org.kernels4j.gpu.opencl;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * The OpenCL backend on one device: one context and command queue, and the GEMM programs built on
 * it at first use. Runs every dtype pair {@link GemmSpec} accepts.
 *
 * <p>Thread-safe: calls may run concurrently (each has its own buffers and kernel object, and they share
 * the in-order queue). {@link #close()} releases the programs, the queue and the context; calls must have
 * returned by then.
 */
public final class OpenClBackend implements Backend {
    private final Device device;
    private final OpenClDeviceContext context;
    private final OpenClGemm gemm;
    private volatile boolean closed;

    /**
     * Opens a context on the device {@code info} describes, with the GEMM tiling chosen for it.
     *
     * @param device the device as listed, available, with its dtypes
     * @throws OpenClException when the context or queue cannot be made
     */
    OpenClBackend(Device device, OpenClDeviceInfo info) {
        this(device, info, OpenClGemmTiling.forDevice(Objects.requireNonNull(info, "info")));
    }

    /** As {@link #OpenClBackend(Device, OpenClDeviceInfo)}, with an explicit GEMM tiling. */
    OpenClBackend(Device device, OpenClDeviceInfo info, OpenClGemmTiling tiling) {
        this.device = Objects.requireNonNull(device, "device");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(tiling, "tiling");
        if (!device.availability().available()) {
            throw new IllegalArgumentException("device: " + device.name() + " is unavailable: " + device.availability().reason());
        }
        this.context = OpenClDeviceContext.open(info);
        this.gemm = new OpenClGemm(context, tiling);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return Availability.yes();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException(OpenClBackendProvider.NAME + " backend is closed");
        }
        gemm.gemm(spec, a, b, c);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            gemm.close();
            context.close();
        }
    }
}
