package org.kernels4j.gpu.opencl;

import java.util.Objects;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets a kernel's arguments in the order of its signature. Each method is named after the OpenCL type it
 * passes, because the width of the argument must match the kernel's parameter exactly.
 *
 * <p>Not thread-safe: one instance fills one kernel object.
 */
final class KernelArguments {
    private final cl_kernel kernel;
    private int index;

    KernelArguments(cl_kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    KernelArguments clLong(long value) {
        return set(Sizeof.cl_long, Pointer.to(new long[] {value}));
    }

    KernelArguments clInt(int value) {
        return set(Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    KernelArguments clFloat(float value) {
        return set(Sizeof.cl_float, Pointer.to(new float[] {value}));
    }

    KernelArguments buffer(cl_mem buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return set(Sizeof.cl_mem, Pointer.to(buffer));
    }

    private KernelArguments set(long size, Pointer value) {
        OpenClException.check(CL.clSetKernelArg(kernel, index, size, value), "clSetKernelArg(" + index + ")");
        index++;
        return this;
    }
}
