package org.kernels4j.gpu.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Test host code for native/opencl/elementwise_reduce.cl on one device: builds the program and runs
 * kernels of the shape {@code (const T* a, const T* b, T* out, ulong n)} on byte arrays.
 */
final class ElementwiseReduceRunner implements AutoCloseable {
    private final OpenClDeviceContext context;
    private final OpenClProgram program;

    ElementwiseReduceRunner(OpenClDeviceInfo info) {
        context = OpenClDeviceContext.open(info);
        try {
            program = context.build(OpenClSources.program(OpenClSources.BFLOAT16, OpenClSources.ELEMENTWISE_REDUCE), "");
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    Set<String> kernelNames() {
        return program.kernelNames();
    }

    /** Runs {@code kernel(a, b, out, n)} on {@code globalSize} work-items and returns out; out aliases a when asked. */
    byte[] run(String kernelName, byte[] a, byte[] b, int elementSize, int globalSize, boolean outAliasesA) {
        long n = a.length / elementSize;
        try (Arena arena = Arena.ofConfined()) {
            cl_mem bufferA = upload(arena, a);
            cl_mem bufferB = upload(arena, b);
            cl_mem bufferOut = outAliasesA ? bufferA : context.allocate(a.length);
            cl_kernel kernel = program.createKernel(kernelName);
            try {
                CL.clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(bufferA));
                CL.clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(bufferB));
                CL.clSetKernelArg(kernel, 2, Sizeof.cl_mem, Pointer.to(bufferOut));
                CL.clSetKernelArg(kernel, 3, Sizeof.cl_ulong, Pointer.to(new long[] {n}));
                context.run(kernel, new long[] {globalSize}, null);
                MemorySegment out = arena.allocate(a.length);
                context.copyRows(bufferOut, out, 1, a.length, a.length, true);
                return out.toArray(ValueLayout.JAVA_BYTE);
            } finally {
                CL.clReleaseKernel(kernel);
                if (!outAliasesA) {
                    context.release(bufferOut);
                }
                context.release(bufferB);
                context.release(bufferA);
            }
        }
    }

    private cl_mem upload(Arena arena, byte[] bytes) {
        MemorySegment host = arena.allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, host, 0, bytes.length);
        cl_mem buffer = context.allocate(bytes.length);
        context.write(buffer, host);
        return buffer;
    }

    @Override
    public void close() {
        program.close();
        context.close();
    }
}
