package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;

/**
 * The SIMD {@link Reducer}: whole vectors of lanes at a time, bitwise equal to {@link ScalarReducer}, which
 * also does the tail that does not fill a vector. Elements go through blocks in heap arrays — floating dtypes
 * as FP32 ({@link FloatBlock}: FP16 and BF16 widen, combine, and round once back), integers as INT32
 * ({@link IntBlock}: INT8's low byte wraps as INT8 does) — so that one vector loop per element type serves
 * every dtype.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class VectorReducer implements Reducer {
    public static final VectorReducer INSTANCE = new VectorReducer();

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();

    private VectorReducer() {
    }

    @Override
    public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        Reducer.checkReduceArguments(dtype, op, src, srcOffset, dst, dstOffset, count);
        long vectorized = count - count % LANES;
        long size = dtype.byteSize();
        if (dtype.isFloatingPoint()) {
            FloatBlock into = new FloatBlock(dtype);
            FloatBlock from = new FloatBlock(dtype);
            for (long done = 0; done < vectorized; done += FloatBlock.CAPACITY) {
                int n = (int) Math.min(FloatBlock.CAPACITY, vectorized - done);
                into.load(dst, dstOffset + done * size, n);
                from.load(src, srcOffset + done * size, n);
                combine(op, into.values, from.values, n);
                into.store(dst, dstOffset + done * size, n);
            }
        } else {
            IntBlock into = new IntBlock(dtype);
            IntBlock from = new IntBlock(dtype);
            for (long done = 0; done < vectorized; done += IntBlock.CAPACITY) {
                int n = (int) Math.min(IntBlock.CAPACITY, vectorized - done);
                into.load(dst, dstOffset + done * size, n);
                from.load(src, srcOffset + done * size, n);
                combine(op, into.values, from.values, n);
                into.store(dst, dstOffset + done * size, n);
            }
        }
        long tail = vectorized * size;
        ScalarReducer.INSTANCE.reduce(dtype, op, src, srcOffset + tail, dst, dstOffset + tail, count - vectorized);
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
                canonicalNaN(FloatVector.fromArray(FLOATS, block.values, i).div(d)).intoArray(block.values, i);
            }
            block.store(segment, offset + done * size, n);
        }
        long tail = vectorized * size;
        ScalarReducer.INSTANCE.divide(dtype, segment, offset + tail, count - vectorized, divisor);
    }

    /** {@code into[i] = into[i] op from[i]}; NaN lanes become the canonical quiet NaN, so that operand order never shows. */
    private static void combine(ReduceOp op, float[] into, float[] from, int count) {
        for (int i = 0; i < count; i += LANES) {
            FloatVector a = FloatVector.fromArray(FLOATS, into, i);
            FloatVector b = FloatVector.fromArray(FLOATS, from, i);
            FloatVector combined = switch (op) {
                case SUM, AVG -> a.add(b);
                case PROD -> a.mul(b);
                case MAX -> a.max(b);
                case MIN -> a.min(b);
            };
            canonicalNaN(combined).intoArray(into, i);
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

    private static FloatVector canonicalNaN(FloatVector values) {
        return values.blend(Float.NaN, values.test(VectorOperators.IS_NAN));
    }
}
