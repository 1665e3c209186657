package org.kernels4j.gpu.opencl;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.GemmPreamble;

/**
 * GEMM on an {@link OpenClDeviceContext} with native/opencl/gemm.cl: one program per dtype pair, built at
 * first use with the device's {@link OpenClGemmTiling} and kept until {@link #close()}. Each call copies A
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
    private final OpenClGemmTiling tiling;
    private final Map<DTypePair, OpenClProgram> programs = new ConcurrentHashMap<>();

    OpenClGemm(OpenClDeviceContext context, OpenClGemmTiling tiling) {
        this.context = Objects.requireNonNull(context, "context");
        this.tiling = Objects.requireNonNull(tiling, "tiling");
    }

    void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (GemmPreamble.handleTrivialCases(spec, a, b, c)) {
            return;
        }
        OpenClProgram program = programs.computeIfAbsent(new DTypePair(spec.inputType(), spec.outputType()),
                pair -> context.build(OpenClSources.program(OpenClSources.BFLOAT16, OpenClSources.GEMM),
                        tiling.buildOptions(pair.input(), pair.output())));
        long cRowBytes = spec.n() * spec.outputType().byteSize();
        long cHostPitch = spec.ldc() * spec.outputType().byteSize();
        cl_mem bufferA = null;
        cl_mem bufferB = null;
        cl_mem bufferC = null;
        cl_kernel kernel = null;
        try {
            bufferA = upload(a, spec.aRows(), spec.aCols(), spec.lda());
            bufferB = upload(b, spec.bRows(), spec.bCols(), spec.ldb());
            bufferC = context.allocate(Math.multiplyExact(spec.m(), cRowBytes));
            if (spec.beta() != 0f) {
                context.copyRows(bufferC, c.segment(), spec.m(), cRowBytes, cHostPitch, false);
            }
            kernel = program.createKernel(KERNEL);
            setArguments(kernel, spec, bufferA, bufferB, bufferC);
            context.run(kernel, tiling.globalSize(spec.m(), spec.n()), tiling.localSize());
            context.copyRows(bufferC, c.segment(), spec.m(), cRowBytes, cHostPitch, true);
        } finally {
            if (kernel != null) {
                CL.clReleaseKernel(kernel);
            }
            for (cl_mem buffer : new cl_mem[] {bufferC, bufferB, bufferA}) {
                if (buffer != null) {
                    context.release(buffer);
                }
            }
        }
    }

    /** A buffer holding the stored matrix from its first element to its last, padding included. */
    private cl_mem upload(Tensor t, long rows, long cols, long ld) {
        long bytes = Math.multiplyExact(Math.addExact(Math.multiplyExact(rows - 1, ld), cols), t.dtype().byteSize());
        cl_mem buffer = context.allocate(bytes);
        try {
            context.write(buffer, t.segment().asSlice(0, bytes));
        } catch (RuntimeException e) {
            context.release(buffer);
            throw e;
        }
        return buffer;
    }

    private static void setArguments(cl_kernel kernel, GemmSpec spec, cl_mem a, cl_mem b, cl_mem c) {
        int index = 0;
        index = setLong(kernel, index, spec.m());
        index = setLong(kernel, index, spec.n());
        index = setLong(kernel, index, spec.k());
        index = setBuffer(kernel, index, a);
        index = setLong(kernel, index, spec.lda());
        index = setInt(kernel, index, spec.transA() ? 1 : 0);
        index = setBuffer(kernel, index, b);
        index = setLong(kernel, index, spec.ldb());
        index = setInt(kernel, index, spec.transB() ? 1 : 0);
        index = setBuffer(kernel, index, c);
        index = setLong(kernel, index, spec.n());
        index = setFloat(kernel, index, spec.alpha());
        setFloat(kernel, index, spec.beta());
    }

    private static int setLong(cl_kernel kernel, int index, long value) {
        OpenClException.check(CL.clSetKernelArg(kernel, index, Sizeof.cl_long, Pointer.to(new long[] {value})), "clSetKernelArg");
        return index + 1;
    }

    private static int setInt(cl_kernel kernel, int index, int value) {
        OpenClException.check(CL.clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] {value})), "clSetKernelArg");
        return index + 1;
    }

    private static int setFloat(cl_kernel kernel, int index, float value) {
        OpenClException.check(CL.clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] {value})), "clSetKernelArg");
        return index + 1;
    }

    private static int setBuffer(cl_kernel kernel, int index, cl_mem buffer) {
        OpenClException.check(CL.clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(buffer)), "clSetKernelArg");
        return index + 1;
    }

    @Override
    public void close() {
        programs.values().forEach(OpenClProgram::close);
        programs.clear();
    }
}
