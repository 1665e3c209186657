package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;

/**
 * The portable {@link Reducer}: one element at a time, obviously correct, and the definition that a
 * SIMD reducer must match bit for bit.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class ScalarReducer implements Reducer {
    public static final ScalarReducer INSTANCE = new ScalarReducer();

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private ScalarReducer() {
    }

    @Override
    public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        Reducer.checkReduceArguments(dtype, op, src, srcOffset, dst, dstOffset, count);
        long size = dtype.byteSize();
        if (dtype.isFloatingPoint()) {
            for (long i = 0; i < count; i++) {
                long d = dstOffset + i * size;
                float combined = combine(op, loadFloat(dtype, dst, d), loadFloat(dtype, src, srcOffset + i * size));
                storeFloat(dtype, dst, d, Float.isNaN(combined) ? Float.NaN : combined);
            }
        } else {
            for (long i = 0; i < count; i++) {
                long d = dstOffset + i * size;
                storeInt(dtype, dst, d, combine(op, loadInt(dtype, dst, d), loadInt(dtype, src, srcOffset + i * size)));
            }
        }
    }

    @Override
    public void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
        Reducer.checkDivideArguments(dtype, segment, offset, count, divisor);
        long size = dtype.byteSize();
        for (long i = 0; i < count; i++) {
            long at = offset + i * size;
            float quotient = loadFloat(dtype, segment, at) / divisor;
            storeFloat(dtype, segment, at, Float.isNaN(quotient) ? Float.NaN : quotient);
        }
    }

    private static float combine(ReduceOp op, float a, float b) {
        return switch (op) {
            case SUM, AVG -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** Java int arithmetic wraps modulo 2^32; INT8 narrows afterwards, which is the same as wrapping modulo 2^8. */
    private static int combine(ReduceOp op, int a, int b) {
        return switch (op) {
            case SUM, AVG -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    private static float loadFloat(DType dtype, MemorySegment segment, long offset) {
        return switch (dtype) {
            case FP32 -> segment.get(FLOAT, offset);
            case FP16 -> Half.toFloat(segment.get(SHORT, offset));
            case BF16 -> BFloat16.toFloat(segment.get(SHORT, offset));
            default -> throw new AssertionError(dtype);
        };
    }

    private static void storeFloat(DType dtype, MemorySegment segment, long offset, float value) {
        switch (dtype) {
            case FP32 -> segment.set(FLOAT, offset, value);
            case FP16 -> segment.set(SHORT, offset, Half.fromFloat(value));
            case BF16 -> segment.set(SHORT, offset, BFloat16.fromFloat(value));
            default -> throw new AssertionError(dtype);
        }
    }

    private static int loadInt(DType dtype, MemorySegment segment, long offset) {
        return dtype == DType.INT8 ? segment.get(ValueLayout.JAVA_BYTE, offset) : segment.get(INT, offset);
    }

    private static void storeInt(DType dtype, MemorySegment segment, long offset, int value) {
        if (dtype == DType.INT8) {
            segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
        } else {
            segment.set(INT, offset, value);
        }
    }
}
