package org.kernels4j.gpu.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmemorytype;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One device's primary context with the kernels4j module loaded from the fatbin and one stream. Every
 * method makes the context current on the calling thread first, so any thread may call it. Calls return
 * once their work is queued; {@link #synchronize()} waits for it.
 *
 * <p>Thread-safe: the driver API is, and the function cache is concurrent. {@link #close()} must come
 * after every other call has returned; it frees whatever device memory is still allocated.
 */
final class CudaContext implements AutoCloseable {
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final Map<CUdeviceptr, Long> allocations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private CudaContext() {
    }

    /**
     * Retains device {@code ordinal}'s primary context and loads {@code fatbin} into it (cuInit has run).
     *
     * @throws CudaException when a driver call fails; nothing stays retained then
     */
    static CudaContext open(int ordinal, byte[] fatbin) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal: " + ordinal + " is negative");
        }
        Objects.requireNonNull(fatbin, "fatbin");
        JCudaDriver.setExceptionsEnabled(false);
        CudaContext opened = new CudaContext();
        CudaException.check(JCudaDriver.cuDeviceGet(opened.device, ordinal), "cuDeviceGet");
        CudaException.check(JCudaDriver.cuDevicePrimaryCtxRetain(opened.context, opened.device), "cuDevicePrimaryCtxRetain");
        try {
            opened.makeCurrent();
            CudaException.check(JCudaDriver.cuModuleLoadData(opened.module, fatbin), "cuModuleLoadData");
            CudaException.check(JCudaDriver.cuStreamCreate(opened.stream, CUstream_flags.CU_STREAM_NON_BLOCKING),
                    "cuStreamCreate");
        } catch (CudaException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(opened.device);
            throw e;
        }
        return opened;
    }

    /** Device memory of {@code bytes} (none, a NULL pointer, for 0 bytes). */
    CUdeviceptr allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " is negative");
        }
        makeCurrent();
        CUdeviceptr pointer = new CUdeviceptr();
        if (bytes > 0) {
            CudaException.check(JCudaDriver.cuMemAlloc(pointer, bytes), "cuMemAlloc(" + bytes + " bytes)");
            allocations.put(pointer, bytes);
        }
        return pointer;
    }

    /** Frees memory from {@link #allocate} (a NULL pointer or one already freed is ignored). */
    void free(CUdeviceptr pointer) {
        Objects.requireNonNull(pointer, "pointer");
        if (allocations.remove(pointer) != null && !closed) {
            makeCurrent();
            CudaException.check(JCudaDriver.cuMemFree(pointer), "cuMemFree");
        }
    }

    /** Queues {@code kernel} on the stream. */
    void launch(String kernel, CudaLaunch launch, KernelArguments arguments) {
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(arguments, "arguments");
        CUfunction function = function(kernel, launch.sharedBytes());
        CudaException.check(JCudaDriver.cuLaunchKernel(function, launch.gridX(), launch.gridY(), launch.gridZ(),
                launch.blockX(), launch.blockY(), 1, launch.sharedBytes(), stream, arguments.toKernelParams(), null),
                "cuLaunchKernel(" + kernel + ")");
    }

    /** Queues a copy of host rows into device rows (see {@link HostCopyChunks} for the pieces). */
    void copyToDevice(MemorySegment host, long hostPitch, CUdeviceptr device, long devicePitch, long rows, long width) {
        for (HostCopyChunks.Chunk chunk : HostCopyChunks.split(rows, width, hostPitch, devicePitch, HostCopyChunks.MAX_SPAN)) {
            CUDA_MEMCPY2D copy = copy2d(chunk);
            copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
            copy.srcHost = hostPointer(host, chunk, hostPitch);
            copy.srcPitch = hostPitch;
            copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
            copy.dstDevice = device.withByteOffset(chunk.deviceOffset());
            copy.dstPitch = devicePitch;
            copy2dAndWait(copy);
        }
    }

    /** Copies device rows into host rows, leaving the bytes between host rows alone. */
    void copyToHost(CUdeviceptr device, long devicePitch, MemorySegment host, long hostPitch, long rows, long width) {
        for (HostCopyChunks.Chunk chunk : HostCopyChunks.split(rows, width, hostPitch, devicePitch, HostCopyChunks.MAX_SPAN)) {
            CUDA_MEMCPY2D copy = copy2d(chunk);
            copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
            copy.srcDevice = device.withByteOffset(chunk.deviceOffset());
            copy.srcPitch = devicePitch;
            copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
            copy.dstHost = hostPointer(host, chunk, hostPitch);
            copy.dstPitch = hostPitch;
            copy2dAndWait(copy);
        }
    }

    /** Queues a copy of device rows into other device rows (a change of leading dimension). */
    void copyOnDevice(CUdeviceptr source, long sourcePitch, CUdeviceptr target, long targetPitch, long rows, long width) {
        if (rows == 0 || width == 0) {
            return;
        }
        CUDA_MEMCPY2D copy = new CUDA_MEMCPY2D();
        copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
        copy.srcDevice = source;
        copy.srcPitch = sourcePitch;
        copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
        copy.dstDevice = target;
        copy.dstPitch = targetPitch;
        copy.WidthInBytes = width;
        copy.Height = rows;
        makeCurrent();
        CudaException.check(JCudaDriver.cuMemcpy2DAsync(copy, stream), "cuMemcpy2DAsync (device to device)");
    }

    /** Waits until everything queued on the stream has run; a kernel's fault surfaces here. */
    void synchronize() {
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** Frees what is still allocated, destroys the stream, unloads the module and releases the context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
        closed = true;
        allocations.keySet().forEach(JCudaDriver::cuMemFree);
        allocations.clear();
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }

    private void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA context is closed");
        }
        CudaException.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    private CUfunction function(String kernel, int sharedBytes) {
        Objects.requireNonNull(kernel, "kernel");
        makeCurrent();
        return functions.computeIfAbsent(kernel + "/" + sharedBytes, key -> {
            CUfunction function = new CUfunction();
            CudaException.check(JCudaDriver.cuModuleGetFunction(function, module, kernel), "cuModuleGetFunction(" + kernel + ")");
            if (sharedBytes > CudaLaunch.DEFAULT_SHARED_LIMIT) {
                CudaException.check(JCudaDriver.cuFuncSetAttribute(function,
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedBytes),
                        "cuFuncSetAttribute(" + kernel + ", " + sharedBytes + " bytes of shared memory)");
            }
            return function;
        });
    }

    private static CUDA_MEMCPY2D copy2d(HostCopyChunks.Chunk chunk) {
        CUDA_MEMCPY2D copy = new CUDA_MEMCPY2D();
        copy.WidthInBytes = chunk.width();
        copy.Height = chunk.rows();
        return copy;
    }

    private static Pointer hostPointer(MemorySegment host, HostCopyChunks.Chunk chunk, long hostPitch) {
        long span = (chunk.rows() - 1) * hostPitch + chunk.width();
        return Pointer.to(host.asSlice(chunk.hostOffset(), span).asByteBuffer());
    }

    // Host memory is pageable, so the copy is waited for before the ByteBuffer behind it may go away.
    private void copy2dAndWait(CUDA_MEMCPY2D copy) {
        makeCurrent();
        CudaException.check(JCudaDriver.cuMemcpy2DAsync(copy, stream), "cuMemcpy2DAsync (host)");
        synchronize();
    }
}
