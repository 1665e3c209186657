package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;

/**
 * The SIMD {@link Reducer}: whole vectors of lanes at a time, bitwise equal to {@link ScalarReducer}, which
 * also does the tail that does not fill a vector. FP16 and BF16 widen to FP32 a block at a time, combine,
 * and round once back (see {@link HalfWidthBlock}); INT8 widens to INT32 lanes, whose low byte wraps as
 * INT8 does.
 *
 * <p>Each dtype has its own loop so that every vector operation in it has one static type and stays in
 * registers (a shared loop behind a per-dtype call would see several receiver types and box its vectors).
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class VectorReducer implements Reducer {
    public static final VectorReducer INSTANCE = new VectorReducer();

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** As many byte lanes as {@link #INTS} has int lanes. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.vectorBitSize() / 4));
    private static final int LANES = FLOATS.length();

    private VectorReducer() {
    }

    @Override
    public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        Reducer.checkReduceArguments(dtype, op, src, srcOffset, dst, dstOffset, count);
        long vectorized = switch (dtype) {
            case FP32 -> reduceFp32(op, src, srcOffset, dst, dstOffset, count);
            case FP16, BF16 -> reduceHalfWidth(dtype, op, src, srcOffset, dst, dstOffset, count);
            case INT32 -> reduceInt32(op, src, srcOffset, dst, dstOffset, count);
            case INT8 -> reduceInt8(op, src, srcOffset, dst, dstOffset, count);
        };
        long tail = vectorized * dtype.byteSize();
        ScalarReducer.INSTANCE.reduce(dtype, op, src, srcOffset + tail, dst, dstOffset + tail, count - vectorized);
    }

    @Override
    public void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
        Reducer.checkDivideArguments(dtype, segment, offset, count, divisor);
        float d = divisor;
        long end = count - count % LANES;
        if (dtype == DType.FP32) {
            for (long i = 0; i < end; i += LANES) {
                long at = offset + i * Float.BYTES;
                canonicalNaN(FloatVector.fromMemorySegment(FLOATS, segment, at, ORDER).div(d)).intoMemorySegment(segment, at, ORDER);
            }
        } else {
            HalfWidthBlock block = new HalfWidthBlock(dtype);
            for (long done = 0; done < end; done += HalfWidthBlock.CAPACITY) {
                int n = (int) Math.min(HalfWidthBlock.CAPACITY, end - done);
                long at = offset + done * Short.BYTES;
                block.load(segment, at, n);
                for (int i = 0; i < n; i += LANES) {
                    canonicalNaN(FloatVector.fromArray(FLOATS, block.values, i).div(d)).intoArray(block.values, i);
                }
                block.store(segment, at, n);
            }
        }
        long tail = end * dtype.byteSize();
        ScalarReducer.INSTANCE.divide(dtype, segment, offset + tail, count - end, divisor);
    }

    private static long reduceFp32(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        long end = count - count % LANES;
        for (long i = 0; i < end; i += LANES) {
            long d = dstOffset + i * Float.BYTES;
            FloatVector a = FloatVector.fromMemorySegment(FLOATS, dst, d, ORDER);
            FloatVector b = FloatVector.fromMemorySegment(FLOATS, src, srcOffset + i * Float.BYTES, ORDER);
            combine(op, a, b).intoMemorySegment(dst, d, ORDER);
        }
        return end;
    }

    private static long reduceHalfWidth(DType dtype, ReduceOp op, MemorySegment src, long srcOffset,
                                        MemorySegment dst, long dstOffset, long count) {
        long end = count - count % LANES;
        HalfWidthBlock into = new HalfWidthBlock(dtype);
        HalfWidthBlock from = new HalfWidthBlock(dtype);
        for (long done = 0; done < end; done += HalfWidthBlock.CAPACITY) {
            int n = (int) Math.min(HalfWidthBlock.CAPACITY, end - done);
            long d = dstOffset + done * Short.BYTES;
            into.load(dst, d, n);
            from.load(src, srcOffset + done * Short.BYTES, n);
            for (int i = 0; i < n; i += LANES) {
                FloatVector a = FloatVector.fromArray(FLOATS, into.values, i);
                FloatVector b = FloatVector.fromArray(FLOATS, from.values, i);
                combine(op, a, b).intoArray(into.values, i);
            }
            into.store(dst, d, n);
        }
        return end;
    }

    private static long reduceInt32(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        long end = count - count % LANES;
        for (long i = 0; i < end; i += LANES) {
            long d = dstOffset + i * Integer.BYTES;
            IntVector a = IntVector.fromMemorySegment(INTS, dst, d, ORDER);
            IntVector b = IntVector.fromMemorySegment(INTS, src, srcOffset + i * Integer.BYTES, ORDER);
            combine(op, a, b).intoMemorySegment(dst, d, ORDER);
        }
        return end;
    }

    private static long reduceInt8(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        long end = count - count % LANES;
        for (long i = 0; i < end; i += LANES) {
            long d = dstOffset + i;
            IntVector a = widenBytes(dst, d);
            IntVector b = widenBytes(src, srcOffset + i);
            combine(op, a, b).convertShape(VectorOperators.I2B, BYTES, 0).intoMemorySegment(dst, d, ORDER);
        }
        return end;
    }

    /** NaN lanes become the canonical quiet NaN, so that {@code a op b} and {@code b op a} agree bit for bit. */
    private static FloatVector combine(ReduceOp op, FloatVector a, FloatVector b) {
        FloatVector combined = switch (op) {
            case SUM, AVG -> a.add(b);
            case PROD -> a.mul(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
        };
        return canonicalNaN(combined);
    }

    private static IntVector combine(ReduceOp op, IntVector a, IntVector b) {
        return switch (op) {
            case SUM, AVG -> a.add(b);
            case PROD -> a.mul(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
        };
    }

    private static FloatVector canonicalNaN(FloatVector values) {
        return values.blend(Float.NaN, values.test(VectorOperators.IS_NAN));
    }

    private static IntVector widenBytes(MemorySegment segment, long offset) {
        return (IntVector) ByteVector.fromMemorySegment(BYTES, segment, offset, ORDER).convertShape(VectorOperators.B2I, INTS, 0);
    }
}
