package org.kernels4j.gpu.opencl;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.GemmPreamble;

/**
 * GEMM on an {@link OpenClDeviceContext} with native/opencl/gemm.cl: one program per dtype pair, built at
 * first use with the device's {@link OpenClGemmTiling} (itself asked for at the first call, since choosing it may
 * mean measuring) and kept until {@link #close()}. Each call copies A
 * and B (and C when beta ≠ 0) to the device, runs the tiled kernel, and copies the m×n result back into
 * C's rows, so C's padding is never written.
 *
 * <p>Thread-safe: every call makes its own buffers and kernel object.
 */
final class OpenClGemm implements AutoCloseable {
    private static final String KERNEL = "k4j_gemm";

    private record DTypePair(DType input, DType output) {
    }

    private final OpenClDeviceContext context;
    private final Supplier<OpenClGemmTiling> tilingSource;
    private final Map<DTypePair, OpenClProgram> programs = new ConcurrentHashMap<>();
    private volatile OpenClGemmTiling tiling;

    /** GEMM with the tiling {@code tilingSource} gives at the first call. */
    OpenClGemm(OpenClDeviceContext context, Supplier<OpenClGemmTiling> tilingSource) {
        this.context = Objects.requireNonNull(context, "context");
        this.tilingSource = Objects.requireNonNull(tilingSource, "tilingSource");
    }

    /** The tiling in use, chosen now if no call has chosen it yet. */
    OpenClGemmTiling tiling() {
        OpenClGemmTiling chosen = tiling;
        if (chosen == null) {
            synchronized (this) {
                if (tiling == null) {
                    tiling = Objects.requireNonNull(tilingSource.get(), "tilingSource gave null");
                }
                chosen = tiling;
            }
        }
        return chosen;
    }

    void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (GemmPreamble.handleTrivialCases(spec, a, b, c)) {
            return;
        }
        long cRowBytes = spec.n() * spec.outputType().byteSize();
        long cHostPitch = spec.ldc() * spec.outputType().byteSize();
        try (CallResources call = new CallResources(context)) {
            cl_mem bufferA = call.upload(storedMatrix(a, spec.aRows(), spec.aCols(), spec.lda()));
            cl_mem bufferB = call.upload(storedMatrix(b, spec.bRows(), spec.bCols(), spec.ldb()));
            cl_mem bufferC = call.allocate(Math.multiplyExact(spec.m(), cRowBytes));
            if (spec.beta() != 0f) {
                context.copyRows(bufferC, c.segment(), spec.m(), cRowBytes, cHostPitch, false);
            }
            launch(call, spec, bufferA, bufferB, bufferC);
            context.copyRows(bufferC, c.segment(), spec.m(), cRowBytes, cHostPitch, true);
        }
    }

    /**
     * Runs the kernel on device buffers: A and B as stored (leading dimensions lda and ldb), C packed (n columns),
     * and waits for it; the kernel object is released with {@code call}.
     */
    void launch(CallResources call, GemmSpec spec, cl_mem a, cl_mem b, cl_mem c) {
        OpenClGemmTiling chosen = tiling();
        OpenClProgram program = programs.computeIfAbsent(new DTypePair(spec.inputType(), spec.outputType()),
                pair -> context.build(OpenClSources.tiledProgram(OpenClSources.GEMM), chosen.buildOptions(pair.input(), pair.output())));
        cl_kernel kernel = call.kernel(program, KERNEL);
        new KernelArguments(kernel)
                .clLong(spec.m()).clLong(spec.n()).clLong(spec.k())
                .buffer(a).clLong(spec.lda()).clInt(spec.transA() ? 1 : 0)
                .buffer(b).clLong(spec.ldb()).clInt(spec.transB() ? 1 : 0)
                .buffer(c).clLong(spec.n()).clFloat(spec.alpha()).clFloat(spec.beta());
        context.run(kernel, chosen.globalSize(spec.m(), spec.n()), chosen.localSize());
    }

    /** The stored matrix from its first element to its last, padding included. */
    private static MemorySegment storedMatrix(Tensor t, long rows, long cols, long ld) {
        long bytes = Math.multiplyExact(Math.addExact(Math.multiplyExact(rows - 1, ld), cols), t.dtype().byteSize());
        return t.segment().asSlice(0, bytes);
    }

    @Override
    public void close() {
        programs.values().forEach(OpenClProgram::close);
        programs.clear();
    }
}
