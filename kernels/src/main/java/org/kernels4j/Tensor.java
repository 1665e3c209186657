package org.kernels4j;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array of one {@link DType} in off-heap memory, with explicit strides (in elements).
 * Matrices are row-major: element (i, j) of a rank-2 tensor is at {@code i * ld + j}, with the leading
 * dimension {@code ld = stride(0) >= cols} and {@code stride(1) == 1}.
 *
 * <p>A tensor made by {@code allocate}/{@code from...} owns its memory through a shared {@link Arena}
 * (so that kernel threads may read and write it) and frees it on {@link #close()}; a tensor made by
 * {@link #wrap} borrows memory that its caller owns and {@code close()} leaves alone.
 *
 * <p>Thread safety: the memory may be accessed from any thread; concurrent writes to the same elements
 * need external synchronization, and a tensor must not be used after (or while) it is closed.
 */
public final class Tensor implements AutoCloseable {
    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final MemorySegment segment;
    private final Arena arena;
    private boolean closed;

    private Tensor(DType dtype, long[] shape, long[] strides, MemorySegment segment, Arena arena) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.segment = segment;
        this.arena = arena;
    }

    /** A zero-filled, contiguous, row-major tensor. */
    public static Tensor allocate(DType dtype, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        checkShape(shape);
        return allocateStrided(dtype, shape, contiguousStrides(shape));
    }

    /**
     * A zero-filled row-major matrix whose rows are {@code ld} elements apart ({@code ld >= max(1, cols)});
     * the {@code ld - cols} padding elements of each row exist and belong to the tensor's memory.
     */
    public static Tensor allocateMatrix(DType dtype, long rows, long cols, long ld) {
        Objects.requireNonNull(dtype, "dtype");
        checkShape(new long[] {rows, cols});
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld: " + ld + " is less than max(1, cols) = " + Math.max(1, cols));
        }
        return allocateStrided(dtype, new long[] {rows, cols}, new long[] {ld, 1});
    }

    /** Borrows {@code segment} (not freed by {@link #close()}); it must hold every element the strides reach. */
    public static Tensor wrap(MemorySegment segment, DType dtype, long[] shape, long[] strides) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(dtype, "dtype");
        checkShape(shape);
        Objects.requireNonNull(strides, "strides");
        if (strides.length != shape.length) {
            throw new IllegalArgumentException("strides: length " + strides.length + " differs from the rank " + shape.length);
        }
        for (int i = 0; i < strides.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("strides[" + i + "]: " + strides[i] + " is negative");
            }
        }
        long needed = requiredElements(shape, strides) * dtype.byteSize();
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment: " + segment.byteSize() + " bytes, but shape "
                    + Arrays.toString(shape) + " with strides " + Arrays.toString(strides) + " needs " + needed);
        }
        return new Tensor(dtype, shape.clone(), strides.clone(), segment, null);
    }

    /** A contiguous tensor of {@code dtype} holding {@code values} stored (rounded or wrapped) into it. */
    public static Tensor fromFloats(DType dtype, float[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(dtype, shape);
        checkLength(values.length, t.elementCount());
        for (int i = 0; i < values.length; i++) {
            dtype.write(t.segment, i, values[i]);
        }
        return t;
    }

    /** A contiguous INT8 tensor holding {@code values}. */
    public static Tensor fromBytes(byte[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.INT8, shape);
        checkLength(values.length, t.elementCount());
        MemorySegment.copy(MemorySegment.ofArray(values), 0, t.segment, 0, values.length);
        return t;
    }

    /** A contiguous INT32 tensor holding {@code values}. */
    public static Tensor fromInts(int[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        Tensor t = allocate(DType.INT32, shape);
        checkLength(values.length, t.elementCount());
        for (int i = 0; i < values.length; i++) {
            DType.INT32.write(t.segment, i, values[i]);
        }
        return t;
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

    /** Number of logical elements (the product of the shape). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The memory, including padding between rows. */
    public MemorySegment segment() {
        checkOpen();
        return segment;
    }

    /** Element offset (in elements from the segment start) of the element at {@code index}. */
    public long offsetOf(long... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index: rank " + index.length + " differs from the tensor rank " + shape.length);
        }
        long offset = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index[" + i + "]: " + index[i] + " outside [0, " + shape[i] + ")");
            }
            offset += index[i] * strides[i];
        }
        return offset;
    }

    /** The element at {@code index}, exactly, as a double. */
    public double get(long... index) {
        return dtype.read(segment(), offsetOf(index));
    }

    /** Stores {@code value} (rounded or wrapped as {@link DType#write} does) at {@code index}. */
    public void set(double value, long... index) {
        dtype.write(segment(), offsetOf(index), value);
    }

    /** Row-major copy of the logical elements as floats (INT32 values beyond 2^24 round). */
    public float[] toFloatArray() {
        checkJavaArraySize();
        float[] out = new float[(int) elementCount()];
        forEachElement((i, offset) -> out[i] = (float) dtype.read(segment, offset));
        return out;
    }

    /** Row-major copy of the logical elements of an integer tensor. */
    public int[] toIntArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toIntArray: tensor dtype is " + dtype + ", not an integer type");
        }
        checkJavaArraySize();
        int[] out = new int[(int) elementCount()];
        forEachElement((i, offset) -> out[i] = (int) dtype.read(segment, offset));
        return out;
    }

    /** Row-major copy of the logical elements as doubles (exact for every dtype). */
    public double[] toDoubleArray() {
        checkJavaArraySize();
        double[] out = new double[(int) elementCount()];
        forEachElement((i, offset) -> out[i] = dtype.read(segment, offset));
        return out;
    }

    /** A contiguous copy of this tensor's logical elements converted (rounded/wrapped) into {@code target}. */
    public Tensor convertTo(DType target) {
        Objects.requireNonNull(target, "target");
        Tensor out = allocate(target, shape);
        forEachElement((i, offset) -> target.write(out.segment, i, dtype.read(segment, offset)));
        return out;
    }

    /** True when the elements are densely packed in row-major order (no padding). */
    public boolean isContiguous() {
        return Arrays.equals(strides, contiguousStrides(shape));
    }

    /** Frees owned memory; idempotent. Borrowed memory is left to its owner. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (arena != null) {
                arena.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + "]";
    }

    private interface ElementVisitor {
        void visit(int logicalIndex, long offset);
    }

    private void forEachElement(ElementVisitor visitor) {
        checkOpen();
        long count = elementCount();
        long[] index = new long[shape.length];
        for (int i = 0; i < count; i++) {
            long offset = 0;
            for (int d = 0; d < shape.length; d++) {
                offset += index[d] * strides[d];
            }
            visitor.visit(i, offset);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("tensor is closed: " + this);
        }
    }

    private void checkJavaArraySize() {
        if (elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor has " + elementCount() + " elements, too many for a Java array");
        }
    }

    private int checkAxis(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis: " + axis + " outside [0, " + shape.length + ")");
        }
        return axis;
    }

    private static Tensor allocateStrided(DType dtype, long[] shape, long[] strides) {
        long bytes = Math.multiplyExact(allocatedElements(shape, strides), dtype.byteSize());
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(Math.max(bytes, 1), 64);
        return new Tensor(dtype, shape.clone(), strides, segment, arena);
    }

    /** Elements a borrowed segment must hold: up to the last logical element, no trailing padding. */
    private static long requiredElements(long[] shape, long[] strides) {
        long last = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return 0;
            }
            last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
        }
        return last + 1;
    }

    /**
     * Elements an owned tensor allocates: a row-major matrix gets rows·ld, so that every row, the last
     * included and even a row of zero columns, has its padding and kernels may treat all rows alike.
     */
    private static long allocatedElements(long[] shape, long[] strides) {
        if (shape.length == 2 && strides[1] == 1 && strides[0] >= shape[1]) {
            return Math.multiplyExact(shape[0], strides[0]);
        }
        return requiredElements(shape, strides);
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    private static void checkShape(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "]: " + shape[i] + " is negative");
            }
        }
    }

    private static void checkLength(int length, long expected) {
        if (length != expected) {
            throw new IllegalArgumentException("values: length " + length + " does not match the shape's " + expected + " elements");
        }
    }
}
