package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.kernels4j.DType;

/**
 * A block of INT32 or INT8 elements as INT32 in a heap array, read from and written back to a segment with
 * bulk copies, so that one vector loop on arrays combines both. INT8 widens with its sign and narrows by
 * keeping the low byte, which is the INT8 wrap.
 *
 * <p>Not thread-safe: one per call.
 */
final class IntBlock {
    static final int CAPACITY = FloatBlock.CAPACITY;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    final int[] values = new int[CAPACITY];
    private final byte[] bytes;
    private final DType dtype;

    IntBlock(DType dtype) {
        if (dtype != DType.INT32 && dtype != DType.INT8) {
            throw new IllegalArgumentException("dtype: " + dtype + " is not an integer dtype");
        }
        this.dtype = dtype;
        this.bytes = dtype == DType.INT8 ? new byte[CAPACITY] : null;
    }

    /** Loads {@code count ≤ CAPACITY} elements from byte {@code offset} into {@link #values}. */
    void load(MemorySegment segment, long offset, int count) {
        if (dtype == DType.INT32) {
            MemorySegment.copy(segment, INT, offset, values, 0, count);
            return;
        }
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, count);
        for (int i = 0; i < count; i++) {
            values[i] = bytes[i];
        }
    }

    /** Stores the first {@code count} {@link #values} at byte {@code offset}. */
    void store(MemorySegment segment, long offset, int count) {
        if (dtype == DType.INT32) {
            MemorySegment.copy(values, 0, segment, INT, offset, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) values[i];
        }
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, count);
    }
}
