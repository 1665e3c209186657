package org.kernels4j.gpu.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.kernels4j.gpu.SignalHandlers;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One OpenCL context and in-order command queue on one device, with the host code every kernel family
 * shares: building programs, device buffers, copies between off-heap segments and buffers, launches.
 *
 * <p>Thread-safe: OpenCL's API calls are, and this class keeps no mutable state besides its closed flag.
 * {@link #close()} releases the queue and the context; programs and buffers must be released first.
 */
public final class OpenClDeviceContext implements AutoCloseable {
    // JOCL's Pointer.to(ByteBuffer) takes at most 2^31 - 1 bytes, so large copies go in pieces; heap
    // segments are staged through native memory, since JOCL pins only whole arrays, not slices of them.
    private static final long MAX_COPY_BYTES = 1L << 30;

    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private volatile boolean closed;

    private OpenClDeviceContext(cl_device_id device, cl_context context, cl_command_queue queue) {
        this.device = device;
        this.context = context;
        this.queue = queue;
    }

    /**
     * Opens a context and a queue on the device {@code info} describes (found again by its indices).
     *
     * @throws OpenClException when a call fails, e.g. the device went away
     */
    public static OpenClDeviceContext open(OpenClDeviceInfo info) {
        Objects.requireNonNull(info, "info");
        return SignalHandlers.preserving(() -> openContext(info));
    }

    private static OpenClDeviceContext openContext(OpenClDeviceInfo info) {
        // Error statuses are checked here, and build failures must reach us as statuses to fetch the log.
        CL.setExceptionsEnabled(false);
        cl_platform_id[] platforms = new cl_platform_id[info.platformIndex() + 1];
        OpenClException.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        cl_platform_id platform = platforms[info.platformIndex()];
        cl_device_id[] devices = new cl_device_id[info.deviceIndex() + 1];
        OpenClException.check(CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null), "clGetDeviceIDs");
        cl_device_id device = devices[info.deviceIndex()];
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, platform);
        int[] status = new int[1];
        cl_context context = CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, status);
        OpenClException.check(status[0], "clCreateContext");
        cl_command_queue queue = CL.clCreateCommandQueueWithProperties(context, device, null, status);
        if (status[0] != CL.CL_SUCCESS) {
            CL.clReleaseContext(context);
            OpenClException.check(status[0], "clCreateCommandQueueWithProperties");
        }
        return new OpenClDeviceContext(device, context, queue);
    }

    /**
     * Compiles {@code source} for this device.
     *
     * @throws OpenClBuildException with the compiler's log when the source does not compile
     */
    public OpenClProgram build(String source, String options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        checkOpen();
        int[] status = new int[1];
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
        OpenClException.check(status[0], "clCreateProgramWithSource");
        int built = SignalHandlers.preserving(() -> CL.clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null));
        if (built != CL.CL_SUCCESS) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new OpenClBuildException(OpenClException.describe(built, "clBuildProgram"), options, log);
        }
        return new OpenClProgram(program);
    }

    /** A device buffer of {@code bytes} (at least 1) bytes; release it with {@link #release(cl_mem)}. */
    cl_mem allocate(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes: " + bytes + " is less than 1");
        }
        checkOpen();
        int[] status = new int[1];
        cl_mem buffer = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, status);
        OpenClException.check(status[0], "clCreateBuffer(" + bytes + " bytes)");
        return buffer;
    }

    void release(cl_mem buffer) {
        Objects.requireNonNull(buffer, "buffer");
        CL.clReleaseMemObject(buffer);
    }

    /** Copies {@code source} to the start of {@code buffer}, blocking. */
    void write(cl_mem buffer, MemorySegment source) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(source, "source");
        checkOpen();
        if (!source.isNative()) {
            try (Arena arena = Arena.ofConfined()) {
                copyWhole(buffer, arena.allocate(source.byteSize()).copyFrom(source), false);
            }
            return;
        }
        copyWhole(buffer, source, false);
    }

    /** Copies the start of {@code buffer} into all of {@code target}, blocking. */
    void read(cl_mem buffer, MemorySegment target) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(target, "target");
        checkOpen();
        if (!target.isNative()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staged = arena.allocate(target.byteSize());
                copyWhole(buffer, staged, true);
                target.copyFrom(staged);
            }
            return;
        }
        copyWhole(buffer, target, true);
    }

    private void copyWhole(cl_mem buffer, MemorySegment host, boolean toHost) {
        for (long offset = 0; offset < host.byteSize(); offset += MAX_COPY_BYTES) {
            MemorySegment piece = host.asSlice(offset, Math.min(MAX_COPY_BYTES, host.byteSize() - offset));
            Pointer pointer = Pointer.to(piece.asByteBuffer());
            int status = toHost
                    ? CL.clEnqueueReadBuffer(queue, buffer, CL.CL_TRUE, offset, piece.byteSize(), pointer, 0, null, null)
                    : CL.clEnqueueWriteBuffer(queue, buffer, CL.CL_TRUE, offset, piece.byteSize(), pointer, 0, null, null);
            OpenClException.check(status, toHost ? "clEnqueueReadBuffer" : "clEnqueueWriteBuffer");
        }
    }

    /**
     * Copies a {@code rows} × {@code rowBytes} block between a packed buffer (rows {@code rowBytes} apart)
     * and a host segment whose rows are {@code hostPitch} bytes apart, leaving the host's bytes between
     * rows untouched; blocking.
     *
     * @param toHost true to read the buffer into the segment, false to write the segment into the buffer
     */
    void copyRows(cl_mem buffer, MemorySegment host, long rows, long rowBytes, long hostPitch, boolean toHost) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(host, "host");
        if (rows < 0 || rowBytes < 1 || hostPitch < rowBytes) {
            throw new IllegalArgumentException("rows, rowBytes, hostPitch: " + rows + ", " + rowBytes + ", " + hostPitch
                    + " (rows >= 0, rowBytes >= 1, hostPitch >= rowBytes)");
        }
        checkOpen();
        if (!host.isNative()) {
            // Staged whole, padding included, so that copying the stage back rewrites the padding unchanged.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staged = arena.allocate(host.byteSize()).copyFrom(host);
                copyRows(buffer, staged, rows, rowBytes, hostPitch, toHost);
                if (toHost) {
                    host.copyFrom(staged);
                }
            }
            return;
        }
        long rowsPerPiece = Math.max(1, MAX_COPY_BYTES / hostPitch);
        for (long row = 0; row < rows; row += rowsPerPiece) {
            long pieceRows = Math.min(rowsPerPiece, rows - row);
            MemorySegment piece = host.asSlice(row * hostPitch, (pieceRows - 1) * hostPitch + rowBytes);
            long[] bufferOrigin = {0, row, 0};
            long[] hostOrigin = {0, 0, 0};
            long[] region = {rowBytes, pieceRows, 1};
            Pointer pointer = Pointer.to(piece.asByteBuffer());
            int status = toHost
                    ? CL.clEnqueueReadBufferRect(queue, buffer, CL.CL_TRUE, bufferOrigin, hostOrigin, region, rowBytes, 0,
                            hostPitch, 0, pointer, 0, null, null)
                    : CL.clEnqueueWriteBufferRect(queue, buffer, CL.CL_TRUE, bufferOrigin, hostOrigin, region, rowBytes, 0,
                            hostPitch, 0, pointer, 0, null, null);
            OpenClException.check(status, toHost ? "clEnqueueReadBufferRect" : "clEnqueueWriteBufferRect");
        }
    }

    /** Enqueues a launch of {@code kernel} over as many dimensions as {@code globalSize} has, and waits for it. */
    void run(cl_kernel kernel, long[] globalSize, long[] localSize) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(globalSize, "globalSize");
        checkOpen();
        OpenClException.check(CL.clEnqueueNDRangeKernel(queue, kernel, globalSize.length, null, globalSize, localSize,
                0, null, null), "clEnqueueNDRangeKernel");
        OpenClException.check(CL.clFinish(queue), "clFinish");
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        int status = CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (status != CL.CL_SUCCESS) {
            return "(no build log: " + OpenClException.describe(status, "clGetProgramBuildInfo") + ")";
        }
        byte[] bytes = new byte[Math.toIntExact(size[0])];
        status = CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        if (status != CL.CL_SUCCESS) {
            return "(no build log: " + OpenClException.describe(status, "clGetProgramBuildInfo") + ")";
        }
        return cString(bytes);
    }

    static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).strip();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL context is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }
    }
}
