package org.kernels4j.gpu.cuda;

import java.util.Arrays;
import java.util.Objects;
import jcuda.driver.CUdeviceptr;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * A tensor in a CUDA device's memory, so that a chain of kernels (or a benchmark) runs without copies
 * over PCIe. Made by {@link CudaBackend#allocate}, {@link CudaBackend#allocateMatrix} or
 * {@link CudaBackend#upload}; moved with {@link #copyFrom} and {@link #copyTo}. Layouts are those of
 * host tensors: contiguous row-major, or a row-major matrix whose rows are {@code ld} elements apart.
 *
 * <p>Thread safety: copies and kernels on one tensor from several threads need external
 * synchronization. {@link #close()} frees the device memory (closing the backend frees it too).
 */
public final class CudaTensor implements AutoCloseable {
    private final CudaContext context;
    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final long byteSize;
    private final CUdeviceptr pointer;
    private volatile boolean closed;

    private CudaTensor(CudaContext context, DType dtype, long[] shape, long[] strides) {
        this.context = context;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.byteSize = Math.multiplyExact(span(shape, strides), dtype.byteSize());
        this.pointer = context.allocate(byteSize);
    }

    /** A contiguous row-major tensor, uninitialized. */
    static CudaTensor allocate(CudaContext context, DType dtype, long... shape) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(dtype, "dtype");
        checkShape(shape);
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride = Math.multiplyExact(stride, Math.max(1, shape[i]));
        }
        return new CudaTensor(context, dtype, shape.clone(), strides);
    }

    /** A rows × cols matrix with rows {@code ld} elements apart, uninitialized. */
    static CudaTensor allocateMatrix(CudaContext context, DType dtype, long rows, long cols, long ld) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(dtype, "dtype");
        checkShape(new long[] {rows, cols});
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld: " + ld + " is less than max(1, cols) = " + Math.max(1, cols));
        }
        return new CudaTensor(context, dtype, new long[] {rows, cols}, new long[] {ld, 1});
    }

    public DType dtype() {
        return dtype;
    }

    public int rank() {
        return shape.length;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long dim(int axis) {
        return shape[checkAxis(axis)];
    }

    public long[] strides() {
        return strides.clone();
    }

    public long stride(int axis) {
        return strides[checkAxis(axis)];
    }

    /** Device bytes from the first element to the last. */
    public long byteSize() {
        return byteSize;
    }

    /** Copies {@code host} (same dtype and shape; contiguous, or a row-major matrix with any ld) to the device. */
    public void copyFrom(Tensor host) {
        Rows rows = rowsWith(host);
        context.copyToDevice(host.segment(), rows.hostPitch(), pointer(), rows.devicePitch(), rows.count(), rows.width());
    }

    /** Copies this tensor into {@code host} (same dtype and shape); bytes between host rows stay untouched. */
    public void copyTo(Tensor host) {
        Rows rows = rowsWith(host);
        context.copyToHost(pointer(), rows.devicePitch(), host.segment(), rows.hostPitch(), rows.count(), rows.width());
    }

    /** Frees the device memory; later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            context.free(pointer);
        }
    }

    @Override
    public String toString() {
        return "CudaTensor[" + dtype + " " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + "]";
    }

    /** The device address; fails when closed. */
    CUdeviceptr pointer() {
        if (closed) {
            throw new IllegalStateException("tensor: " + this + " is closed");
        }
        return pointer;
    }

    boolean belongsTo(CudaContext other) {
        return context == other;
    }

    boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && strides[i] != expected) {
                return false;
            }
            expected *= Math.max(1, shape[i]);
        }
        return true;
    }

    private record Rows(long count, long width, long hostPitch, long devicePitch) {
    }

    private Rows rowsWith(Tensor host) {
        Objects.requireNonNull(host, "host");
        if (host.dtype() != dtype) {
            throw new IllegalArgumentException("host.dtype: " + host.dtype() + " differs from the device tensor's " + dtype);
        }
        if (!Arrays.equals(host.shape(), shape)) {
            throw new IllegalArgumentException("host.shape: " + Arrays.toString(host.shape())
                    + " differs from the device tensor's " + Arrays.toString(shape));
        }
        long size = dtype.byteSize();
        if (shape.length == 2 && (shape[1] <= 1 || host.stride(1) == 1) && strides[1] == 1) {
            long rows = shape[0];
            long width = shape[1] * size;
            return new Rows(rows, width, Math.max(width, host.stride(0) * size), Math.max(width, strides[0] * size));
        }
        if (!host.isContiguous() || !isContiguous()) {
            throw new IllegalArgumentException("host.strides: " + Arrays.toString(host.strides())
                    + " (device " + Arrays.toString(strides) + "): copies need contiguous tensors or row-major matrices");
        }
        long bytes = Math.multiplyExact(host.elementCount(), size);
        return new Rows(1, bytes, bytes, bytes);
    }

    private int checkAxis(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis: " + axis + " outside [0, " + shape.length + ")");
        }
        return axis;
    }

    private static void checkShape(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "]: " + shape[i] + " is negative");
            }
        }
    }

    /** Elements from the first to the last one, inclusive (0 for an empty tensor). */
    static long span(long[] shape, long[] strides) {
        long last = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return 0;
            }
            last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
        }
        return last + 1;
    }
}
