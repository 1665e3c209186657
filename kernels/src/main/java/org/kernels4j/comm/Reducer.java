package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.kernels4j.DType;

/**
 * The element-wise combination step of every reducing collective, kept apart from the algorithms so
 * that a SIMD backend can replace the {@link ScalarReducer} without touching them.
 *
 * <p>Contract for implementations (results must be bitwise equal to {@link ScalarReducer}'s, because
 * ranks that use different reducers must still agree): FP16/BF16 widen to FP32, combine, and round
 * once (to nearest even) back; INT8/INT32 wrap; a NaN result is stored as the canonical quiet NaN so
 * that {@code a op b} and {@code b op a} have the same bits (partners in recursive doubling combine in
 * opposite order). AVG combines as SUM; the caller divides once with {@link #divide}.
 *
 * <p>Implementations must be stateless or thread-safe: one instance serves every rank of a JVM.
 */
public interface Reducer {

    /**
     * {@code dst[i] = dst[i] op src[i]} for {@code i < count}; offsets are in bytes, elements are packed.
     * {@code src} and {@code dst} must not overlap.
     */
    void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count);

    /**
     * {@code segment[i] = segment[i] / divisor}, computed in FP32 and rounded once to a floating {@code dtype};
     * NaN quotients are stored canonical, as in {@link #reduce}.
     */
    void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor);

    /** The argument checks of {@link #reduce}, shared by implementations so that all fail alike. */
    static void checkReduceArguments(DType dtype, ReduceOp op, MemorySegment src, long srcOffset,
                                     MemorySegment dst, long dstOffset, long count) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(op, "op");
        op.checkSupports(dtype);
        checkRange("src", src, srcOffset, count, dtype);
        checkRange("dst", dst, dstOffset, count, dtype);
        long bytes = count * dtype.byteSize();
        if (src.asSlice(srcOffset, bytes).asOverlappingSlice(dst.asSlice(dstOffset, bytes)).isPresent()) {
            throw new IllegalArgumentException("dst: bytes [" + dstOffset + ", " + (dstOffset + bytes)
                    + ") overlap src bytes [" + srcOffset + ", " + (srcOffset + bytes) + ")");
        }
    }

    /** The argument checks of {@link #divide}, shared by implementations. */
    static void checkDivideArguments(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("dtype: " + dtype + " is not a floating dtype; divide is for AVG only");
        }
        if (divisor <= 0) {
            throw new IllegalArgumentException("divisor: " + divisor + " is not positive");
        }
        checkRange("segment", segment, offset, count, dtype);
    }

    private static void checkRange(String name, MemorySegment segment, long offset, long count, DType dtype) {
        Objects.requireNonNull(segment, name);
        if (offset < 0) {
            throw new IllegalArgumentException(name + "Offset: " + offset + " is negative");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " is negative");
        }
        long end = Math.addExact(offset, Math.multiplyExact(count, dtype.byteSize()));
        if (end > segment.byteSize()) {
            throw new IllegalArgumentException(name + ": " + count + " " + dtype + " elements from byte " + offset
                    + " end at byte " + end + ", beyond its " + segment.byteSize() + " bytes");
        }
    }
}
