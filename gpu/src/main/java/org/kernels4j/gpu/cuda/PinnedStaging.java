package org.kernels4j.gpu.cuda;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUDA_MEMCPY2D;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUmemorytype;
import jcuda.driver.JCudaDriver;

/**
 * The pinned (page-locked) host buffer through which a context's copies between host tensors and the device
 * travel: only pinned memory copies asynchronously and at full PCIe speed. It has two halves so that packing one
 * chunk on the CPU overlaps the DMA of the other; an event per half says when the DMA that last used it is done.
 * A copy to the device returns once its last chunk is packed and queued (later work on the stream runs after it);
 * a copy to the host returns when the host tensor holds the data.
 *
 * <p>Not thread-safe: the context serializes the copies through it. {@link #close()} waits for the queued copies
 * and frees the buffer (cuMemFreeHost).
 */
final class PinnedStaging implements AutoCloseable {
    /** Bytes of one half: large enough to reach PCIe's speed, small enough to pin without thought. */
    static final long DEFAULT_HALF_BYTES = 16L << 20;

    private final CudaContext context;
    private final long halfBytes;
    private final Pointer pinned = new Pointer();
    private final MemorySegment buffer;
    private final CudaEvent[] released = new CudaEvent[2];
    private boolean closed;

    /** Pins 2 × {@code halfBytes} of host memory in {@code context}. */
    PinnedStaging(CudaContext context, long halfBytes) {
        this.context = Objects.requireNonNull(context, "context");
        if (halfBytes < 1 || halfBytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("halfBytes: " + halfBytes + " outside [1, 2^30)");
        }
        this.halfBytes = halfBytes;
        context.makeCurrent();
        CudaException.check(JCudaDriver.cuMemHostAlloc(pinned, 2 * halfBytes, 0), "cuMemHostAlloc(" + 2 * halfBytes + " bytes)");
        try {
            buffer = MemorySegment.ofBuffer(pinned.getByteBuffer(0, 2 * halfBytes));
            released[0] = new CudaEvent(context, false);
            released[1] = new CudaEvent(context, false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Copies host rows into device rows; returns when the data is staged and its copies queued. */
    void toDevice(MemorySegment host, long hostPitch, CUdeviceptr device, long devicePitch, long rows, long width) {
        checkOpen();
        List<HostCopyChunks.Chunk> chunks = HostCopyChunks.split(rows, width, hostPitch, devicePitch, halfBytes);
        for (int i = 0; i < chunks.size(); i++) {
            HostCopyChunks.Chunk chunk = chunks.get(i);
            int half = i % 2;
            released[half].synchronize();
            long staged = half * halfBytes;
            for (long r = 0; r < chunk.rows(); r++) {
                MemorySegment.copy(host, chunk.hostOffset() + r * hostPitch, buffer, staged + r * chunk.width(), chunk.width());
            }
            CUDA_MEMCPY2D copy = packedCopy(chunk);
            copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
            copy.srcHost = pinned.withByteOffset(staged);
            copy.srcPitch = chunk.width();
            copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
            copy.dstDevice = device.withByteOffset(chunk.deviceOffset());
            copy.dstPitch = devicePitch;
            context.queueCopy(copy);
            released[half].record();
        }
    }

    /** Copies device rows into host rows, leaving the bytes between host rows alone; returns when they are there. */
    void toHost(CUdeviceptr device, long devicePitch, MemorySegment host, long hostPitch, long rows, long width) {
        checkOpen();
        List<HostCopyChunks.Chunk> chunks = HostCopyChunks.split(rows, width, hostPitch, devicePitch, halfBytes);
        if (chunks.isEmpty()) {
            return;
        }
        queueToStaging(chunks.get(0), 0, device, devicePitch);
        for (int i = 0; i < chunks.size(); i++) {
            if (i + 1 < chunks.size()) {
                queueToStaging(chunks.get(i + 1), (i + 1) % 2, device, devicePitch);
            }
            int half = i % 2;
            released[half].synchronize();
            HostCopyChunks.Chunk chunk = chunks.get(i);
            for (long r = 0; r < chunk.rows(); r++) {
                MemorySegment.copy(buffer, half * halfBytes + r * chunk.width(), host, chunk.hostOffset() + r * hostPitch,
                        chunk.width());
            }
        }
    }

    /** Waits for the queued copies, then unpins and frees the buffer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (CudaEvent event : released) {
            if (event != null) {
                event.synchronize();
                event.close();
            }
        }
        context.makeCurrent();
        JCudaDriver.cuMemFreeHost(pinned);
    }

    private void queueToStaging(HostCopyChunks.Chunk chunk, int half, CUdeviceptr device, long devicePitch) {
        long staged = half * halfBytes;
        CUDA_MEMCPY2D copy = packedCopy(chunk);
        copy.srcMemoryType = CUmemorytype.CU_MEMORYTYPE_DEVICE;
        copy.srcDevice = device.withByteOffset(chunk.deviceOffset());
        copy.srcPitch = devicePitch;
        copy.dstMemoryType = CUmemorytype.CU_MEMORYTYPE_HOST;
        copy.dstHost = pinned.withByteOffset(staged);
        copy.dstPitch = chunk.width();
        context.queueCopy(copy);
        released[half].record();
    }

    private static CUDA_MEMCPY2D packedCopy(HostCopyChunks.Chunk chunk) {
        CUDA_MEMCPY2D copy = new CUDA_MEMCPY2D();
        copy.WidthInBytes = chunk.width();
        copy.Height = chunk.rows();
        return copy;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the pinned staging buffer is freed");
        }
    }
}
