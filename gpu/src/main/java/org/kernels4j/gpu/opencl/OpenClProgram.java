package org.kernels4j.gpu.opencl;

import java.util.Objects;
import java.util.Set;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * A program built for one device of an {@link OpenClDeviceContext}. Thread-safe: kernels made by
 * {@link #createKernel} belong to their caller, so concurrent calls never share kernel arguments.
 * Must be closed before its context.
 */
public final class OpenClProgram implements AutoCloseable {
    private final cl_program program;
    private volatile boolean closed;

    OpenClProgram(cl_program program) {
        this.program = Objects.requireNonNull(program, "program");
    }

    /** A new kernel object for {@code name}; the caller releases it with {@link CL#clReleaseKernel}. */
    cl_kernel createKernel(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        int[] status = new int[1];
        cl_kernel kernel = CL.clCreateKernel(program, name, status);
        OpenClException.check(status[0], "clCreateKernel(" + name + ")");
        return kernel;
    }

    /** The names of the program's kernels. */
    public Set<String> kernelNames() {
        checkOpen();
        long[] size = new long[1];
        OpenClException.check(CL.clGetProgramInfo(program, CL.CL_PROGRAM_KERNEL_NAMES, 0, null, size), "clGetProgramInfo");
        byte[] bytes = new byte[Math.toIntExact(size[0])];
        OpenClException.check(CL.clGetProgramInfo(program, CL.CL_PROGRAM_KERNEL_NAMES, bytes.length, Pointer.to(bytes), null),
                "clGetProgramInfo");
        return Set.of(OpenClDeviceContext.cString(bytes).split(";"));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL program is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CL.clReleaseProgram(program);
        }
    }
}
