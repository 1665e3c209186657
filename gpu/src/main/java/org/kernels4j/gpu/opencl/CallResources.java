package org.kernels4j.gpu.opencl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.jocl.CL;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The device buffers and kernel objects of one kernel call, released together (newest first) when the
 * call ends, however it ends.
 *
 * <p>Not thread-safe: belongs to the call that made it.
 */
final class CallResources implements AutoCloseable {
    private final OpenClDeviceContext context;
    private final Deque<Runnable> releases = new ArrayDeque<>();

    CallResources(OpenClDeviceContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** A device buffer of {@code bytes} bytes (at least 1). */
    cl_mem allocate(long bytes) {
        cl_mem buffer = context.allocate(bytes);
        releases.push(() -> context.release(buffer));
        return buffer;
    }

    /** A device buffer holding a copy of {@code source}. */
    cl_mem upload(MemorySegment source) {
        Objects.requireNonNull(source, "source");
        cl_mem buffer = allocate(source.byteSize());
        context.write(buffer, source);
        return buffer;
    }

    /** A new kernel object for {@code name} of {@code program}. */
    cl_kernel kernel(OpenClProgram program, String name) {
        Objects.requireNonNull(program, "program");
        cl_kernel kernel = program.createKernel(name);
        releases.push(() -> CL.clReleaseKernel(kernel));
        return kernel;
    }

    @Override
    public void close() {
        while (!releases.isEmpty()) {
            releases.pop().run();
        }
    }
}
