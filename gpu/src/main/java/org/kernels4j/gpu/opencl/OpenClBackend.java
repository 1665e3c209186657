package org.kernels4j.gpu.opencl;

import java.util.Objects;
import java.util.Optional;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Reducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * The OpenCL backend on one device: one context and command queue, and the GEMM and convolution programs
 * built on it at first use. Runs every dtype pair {@link GemmSpec} and {@link Conv2dSpec} accept.
 *
 * <p>Thread-safe: calls may run concurrently (each has its own buffers and kernel object, and they share
 * the in-order queue). {@link #close()} releases the programs, the queue and the context; calls must have
 * returned by then.
 */
public final class OpenClBackend implements Backend {
    private final Device device;
    private final OpenClDeviceContext context;
    private final OpenClGemm gemm;
    private final OpenClConv2d conv2d;
    private final OpenClReducer reducer;
    private volatile boolean closed;

    /**
     * Opens a context on the device {@code info} describes. Its GEMM tiling is chosen at the first GEMM call, by
     * {@link OpenClGemmTilingCache#SHARED}: overridden, remembered, or measured then.
     *
     * @param device the device as listed, available, with its dtypes
     * @throws OpenClException when the context or queue cannot be made
     */
    OpenClBackend(Device device, OpenClDeviceInfo info) {
        this(device, info, Optional.empty(), Optional.empty());
    }

    /** As {@link #OpenClBackend(Device, OpenClDeviceInfo)}, with an explicit GEMM tiling. */
    OpenClBackend(Device device, OpenClDeviceInfo info, OpenClGemmTiling tiling) {
        this(device, info, Optional.of(Objects.requireNonNull(tiling, "tiling")), Optional.empty());
    }

    /** As {@link #OpenClBackend(Device, OpenClDeviceInfo)}, with one convolution kernel for every spec. */
    OpenClBackend(Device device, OpenClDeviceInfo info, OpenClConv2d.Algorithm conv2dAlgorithm) {
        this(device, info, Optional.empty(), Optional.of(Objects.requireNonNull(conv2dAlgorithm, "conv2dAlgorithm")));
    }

    private OpenClBackend(Device device, OpenClDeviceInfo info, Optional<OpenClGemmTiling> tiling,
                          Optional<OpenClConv2d.Algorithm> conv2dAlgorithm) {
        this.device = Objects.requireNonNull(device, "device");
        Objects.requireNonNull(info, "info");
        if (!device.availability().available()) {
            throw new IllegalArgumentException("device: " + device.name() + " is unavailable: " + device.availability().reason());
        }
        this.context = OpenClDeviceContext.open(info);
        this.gemm = new OpenClGemm(context, () -> tiling.orElseGet(
                () -> OpenClGemmTilingCache.SHARED.resolve(info, () -> searchTiling(info))));
        this.conv2d = new OpenClConv2d(context, gemm::tiling, conv2dAlgorithm);
        this.reducer = new OpenClReducer(context);
    }

    private OpenClGemmTiling searchTiling(OpenClDeviceInfo info) {
        try (OpenClGemmTrial trial = OpenClGemmTrial.forDevice(context, info)) {
            return OpenClGemmTuner.fastest(OpenClGemmTiling.candidates(info), trial);
        }
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
        checkOpen();
        gemm.gemm(spec, a, b, c);
    }

    @Override
    public Availability supports(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return Availability.yes();
    }

    @Override
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(x, w, bias, y);
        checkOpen();
        conv2d.conv2d(spec, x, w, bias, y);
    }

    /** The elementwise reduce kernels on this device; the reducer fails once the backend is closed. */
    @Override
    public Optional<Reducer> reducer() {
        return Optional.of(reducer);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(OpenClBackendProvider.NAME + " backend is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            gemm.close();
            conv2d.close();
            reducer.close();
            context.close();
        }
    }
}
