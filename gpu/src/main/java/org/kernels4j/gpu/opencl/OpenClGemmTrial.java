package org.kernels4j.gpu.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * The trial problem of the tiling search: an FP32 GEMM of {@code size}³ on buffers that stay on the device, timed
 * per candidate as the best of a few runs after one that builds the program and warms up. The operands are ones, so
 * that no denormal slows a CPU device down.
 *
 * <p>Not thread-safe: the search runs it from one thread.
 */
final class OpenClGemmTrial implements ToDoubleFunction<OpenClGemmTiling>, AutoCloseable {
    /** A size that keeps each measured run around a millisecond or more: smaller on CPU devices, which are slower. */
    static final int CPU_SIZE = 256;
    static final int GPU_SIZE = 1024;
    private static final int TIMED_RUNS = 3;

    private final OpenClDeviceContext context;
    private final GemmSpec spec;
    private final CallResources buffers;
    private final cl_mem a;
    private final cl_mem b;
    private final cl_mem c;

    OpenClGemmTrial(OpenClDeviceContext context, int size) {
        this.context = Objects.requireNonNull(context, "context");
        if (size < 1) {
            throw new IllegalArgumentException("size: " + size + " is less than 1");
        }
        this.spec = GemmSpec.builder().m(size).n(size).k(size).inputType(DType.FP32).outputType(DType.FP32).build();
        this.buffers = new CallResources(context);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ones = arena.allocate(ValueLayout.JAVA_FLOAT, (long) size * size);
            for (long i = 0; i < (long) size * size; i++) {
                ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
            }
            a = buffers.upload(ones);
            b = buffers.upload(ones);
            c = buffers.upload(ones);
        } catch (RuntimeException e) {
            buffers.close();
            throw e;
        }
    }

    /** The trial problem for {@code device}: {@link #GPU_SIZE} on GPUs, {@link #CPU_SIZE} otherwise. */
    static OpenClGemmTrial forDevice(OpenClDeviceContext context, OpenClDeviceInfo device) {
        Objects.requireNonNull(device, "device");
        return new OpenClGemmTrial(context, device.gpu() ? GPU_SIZE : CPU_SIZE);
    }

    /** Seconds of the fastest timed run with {@code tiling}; throws {@link OpenClException} when it cannot run. */
    @Override
    public double applyAsDouble(OpenClGemmTiling tiling) {
        Objects.requireNonNull(tiling, "tiling");
        try (OpenClGemm gemm = new OpenClGemm(context, () -> tiling); CallResources call = new CallResources(context)) {
            gemm.launch(call, spec, a, b, c);
            long best = Long.MAX_VALUE;
            for (int run = 0; run < TIMED_RUNS; run++) {
                long start = System.nanoTime();
                gemm.launch(call, spec, a, b, c);
                best = Math.min(best, System.nanoTime() - start);
            }
            return best / 1e9;
        }
    }

    @Override
    public void close() {
        buffers.close();
    }
}
