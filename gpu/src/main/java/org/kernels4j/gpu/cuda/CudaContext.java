package org.kernels4j.gpu.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmemorytype;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One device's primary context with the kernels4j module loaded from the fatbin, one stream, and the pinned
 * buffer that host copies are staged through ({@link PinnedStaging}, made on the first host copy). Every
 * method makes the context current on the calling thread first, so any thread may call it. Calls return
 * once their work is queued; {@link #synchronize()} waits for it.
 *
 * <p>Thread-safe: the driver API is, the function cache is concurrent, and host copies take turns at the staging
 * buffer. {@link #close()} must come
 * after every other call has returned; it frees whatever device memory is still allocated.
 */
final class CudaContext implements AutoCloseable {
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUstream stream = new CUstream();
    private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final Map<CUdeviceptr, Long> allocations = new ConcurrentHashMap<>();
    private final Object stagingLock = new Object();
    private PinnedStaging staging;
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

    /**
     * Copies host rows into device rows through the pinned staging buffer; returns once the data is staged and its
     * copies are queued (work queued later runs after them), so the host memory may change at once.
     */
    void copyToDevice(MemorySegment host, long hostPitch, CUdeviceptr device, long devicePitch, long rows, long width) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(device, "device");
        synchronized (stagingLock) {
            staging().toDevice(host, hostPitch, device, devicePitch, rows, width);
        }
    }

    /** Copies device rows into host rows through the pinned staging buffer, leaving the bytes between host rows alone. */
    void copyToHost(CUdeviceptr device, long devicePitch, MemorySegment host, long hostPitch, long rows, long width) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(host, "host");
        synchronized (stagingLock) {
            staging().toHost(device, devicePitch, host, hostPitch, rows, width);
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
        queueCopy(copy);
    }

    /** Waits until everything queued on the stream has run; a kernel's fault surfaces here. */
    void synchronize() {
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** Frees the pinned buffer and what device memory is still allocated, destroys the stream, unloads the module and releases the context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
        synchronized (stagingLock) {
            if (staging != null) {
                staging.close();
            }
        }
        closed = true;
        allocations.keySet().forEach(JCudaDriver::cuMemFree);
        allocations.clear();
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }

    /** Queues a 2-D copy on the stream. */
    void queueCopy(CUDA_MEMCPY2D copy) {
        Objects.requireNonNull(copy, "copy");
        makeCurrent();
        CudaException.check(JCudaDriver.cuMemcpy2DAsync(copy, stream), "cuMemcpy2DAsync");
    }

    /** Records {@code event} on the stream, after the work queued so far. */
    void recordOnStream(CUevent event) {
        Objects.requireNonNull(event, "event");
        makeCurrent();
        CudaException.check(JCudaDriver.cuEventRecord(event, stream), "cuEventRecord");
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes this context current on the calling thread; fails when it is closed. */
    void makeCurrent() {
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

    /** The staging buffer, pinned on the first host copy (a context used only with device tensors pins nothing). */
    private PinnedStaging staging() {
        if (staging == null) {
            staging = new PinnedStaging(this, PinnedStaging.DEFAULT_HALF_BYTES);
        }
        return staging;
    }
}
