package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;

/**
 * The SIMD {@link Reducer}: whole vectors of lanes at a time, bitwise equal to {@link ScalarReducer}, which
 * also does the tail that does not fill a vector. Each floating dtype takes its cheapest path per element:
 * FP32 through {@link FloatBlock} arrays, BF16 straight on the segments two elements to an INT32 lane
 * ({@link BFloat16Pairs}), FP16 through arrays of its bits that C2 converts with F16C ({@link HalfBlock});
 * integers go through INT32 arrays ({@link IntBlock}: INT8's low byte wraps as INT8 does). Divide widens every
 * floating dtype to FP32 in a {@link FloatBlock}.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class VectorReducer implements Reducer {
    public static final VectorReducer INSTANCE = new VectorReducer();

    private static final VectorSpecies<Float> FLOATS = FloatLanes.SPECIES;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();

    private VectorReducer() {
    }

    @Override
    public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        Reducer.checkReduceArguments(dtype, op, src, srcOffset, dst, dstOffset, count);
        long vectorized = count - count % switch (dtype) {
            case FP16 -> HalfBlock.LANES;
            case BF16 -> BFloat16Pairs.ELEMENTS_PER_VECTOR;
            default -> LANES;
        };
        switch (dtype) {
            case FP32 -> reduceFloats(op, src, srcOffset, dst, dstOffset, vectorized);
            case FP16 -> new HalfBlock().reduce(op, src, srcOffset, dst, dstOffset, vectorized);
            case BF16 -> BFloat16Pairs.reduce(op, src, srcOffset, dst, dstOffset, vectorized);
            case INT8, INT32 -> reduceInts(dtype, op, src, srcOffset, dst, dstOffset, vectorized);
        }
        long tail = vectorized * dtype.byteSize();
        ScalarReducer.INSTANCE.reduce(dtype, op, src, srcOffset + tail, dst, dstOffset + tail, count - vectorized);
    }

    private static void reduceFloats(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        FloatBlock into = new FloatBlock(DType.FP32);
        FloatBlock from = new FloatBlock(DType.FP32);
        for (long done = 0; done < count; done += FloatBlock.CAPACITY) {
            int n = (int) Math.min(FloatBlock.CAPACITY, count - done);
            long offset = done * Float.BYTES;
            into.load(dst, dstOffset + offset, n);
            from.load(src, srcOffset + offset, n);
            combine(op, into.values, from.values, n);
            into.store(dst, dstOffset + offset, n);
        }
    }

    private static void reduceInts(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        IntBlock into = new IntBlock(dtype);
        IntBlock from = new IntBlock(dtype);
        long size = dtype.byteSize();
        for (long done = 0; done < count; done += IntBlock.CAPACITY) {
            int n = (int) Math.min(IntBlock.CAPACITY, count - done);
            into.load(dst, dstOffset + done * size, n);
            from.load(src, srcOffset + done * size, n);
            combine(op, into.values, from.values, n);
            into.store(dst, dstOffset + done * size, n);
        }
    }

    @Override
    public void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
        Reducer.checkDivideArguments(dtype, segment, offset, count, divisor);
        float d = divisor;
        long vectorized = count - count % LANES;
        long size = dtype.byteSize();
        FloatBlock block = new FloatBlock(dtype);
        for (long done = 0; done < vectorized; done += FloatBlock.CAPACITY) {
            int n = (int) Math.min(FloatBlock.CAPACITY, vectorized - done);
            block.load(segment, offset + done * size, n);
            for (int i = 0; i < n; i += LANES) {
                FloatLanes.canonicalNaN(FloatVector.fromArray(FLOATS, block.values, i).div(d)).intoArray(block.values, i);
            }
            block.store(segment, offset + done * size, n);
        }
        long tail = vectorized * size;
        ScalarReducer.INSTANCE.divide(dtype, segment, offset + tail, count - vectorized, divisor);
    }

    private static void combine(ReduceOp op, float[] into, float[] from, int count) {
        for (int i = 0; i < count; i += LANES) {
            FloatLanes.combine(op, FloatVector.fromArray(FLOATS, into, i), FloatVector.fromArray(FLOATS, from, i)).intoArray(into, i);
        }
    }

    private static void combine(ReduceOp op, int[] into, int[] from, int count) {
        for (int i = 0; i < count; i += LANES) {
            IntVector a = IntVector.fromArray(INTS, into, i);
            IntVector b = IntVector.fromArray(INTS, from, i);
            IntVector combined = switch (op) {
                case SUM, AVG -> a.add(b);
                case PROD -> a.mul(b);
                case MAX -> a.max(b);
                case MIN -> a.min(b);
            };
            combined.intoArray(into, i);
        }
    }
}
