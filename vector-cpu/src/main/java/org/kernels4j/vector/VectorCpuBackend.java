package org.kernels4j.vector;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Reducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.vector.conv.VectorConv2d;
import org.kernels4j.vector.gemm.GemmConfig;
import org.kernels4j.vector.gemm.VectorGemm;
import org.kernels4j.vector.reduce.VectorReducer;

/**
 * The multithreaded SIMD CPU backend on the JDK Vector API ({@code jdk.incubator.vector}): GEMM ({@link VectorGemm})
 * and 2-D convolution ({@link VectorConv2d}, on the same GEMM and threads) for every dtype pair. Only
 * {@link VectorCpuBackendProvider} creates it, and only once that module is known to be readable, because this
 * class links incubator classes.
 *
 * <p>It owns a pool of {@code threads − 1} daemon threads (the calling thread is the other one), stopped by
 * {@link #close()}. Thread safety: kernels may be called from several threads at once.
 */
public final class VectorCpuBackend implements Backend {
    private final WorkerPool pool;
    private final VectorGemm gemm;
    private final VectorConv2d conv;
    private final Device device;
    private volatile boolean closed;

    /** A backend with {@code context.threads()} threads, tuned by system properties ({@link GemmConfig#fromSystemProperties()}). */
    public VectorCpuBackend(BackendContext context) {
        this(context, GemmConfig.fromSystemProperties());
    }

    /** A backend with {@code context.threads()} threads and an explicit GEMM tuning. */
    public VectorCpuBackend(BackendContext context, GemmConfig config) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(config, "config");
        CpuInfo cpu = CpuInfo.detect();
        this.pool = new WorkerPool(context.threads(), "kernels4j-vector-cpu");
        this.gemm = new VectorGemm(pool, cpu, config);
        this.conv = new VectorConv2d(pool, gemm);
        int threads = context.threads();
        String name = cpu.modelName() + ", " + threads + (threads == 1 ? " thread, " : " threads, ")
                + VectorGemm.vectorBits() + "-bit vectors";
        this.device = new Device(VectorCpuBackendProvider.NAME, name, Device.Kind.CPU,
                EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8), Availability.yes());
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
        requireOpen();
        gemm.gemm(spec, a, b, c);
    }

    @Override
    public Availability supports(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return Availability.yes();
    }

    @Override
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        requireOpen();
        conv.conv2d(spec, x, w, bias, y);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(VectorCpuBackendProvider.NAME + " backend is closed");
        }
    }

    @Override
    public Optional<Reducer> reducer() {
        return Optional.of(VectorReducer.INSTANCE);
    }

    /** Kernel shapes and block sizes in use. */
    public String tuning() {
        return gemm.describe();
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }
}
