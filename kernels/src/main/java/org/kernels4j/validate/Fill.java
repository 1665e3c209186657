package org.kernels4j.validate;

import java.util.SplittableRandom;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * How test inputs are filled. Every fill is a pure function of (tensor shape, dtype, seed) and runs on
 * one thread, so the data never depends on the thread count.
 */
public enum Fill {
    /** Uniform in [−1, 1) rounded to the dtype (INT8: uniform over [−128, 127]): exercises rounding. */
    RANDOM,
    /**
     * Integers in [−3, 3], half of them zero: FP32 sums of their products are exact for any k below
     * about 10^6, so results can be compared exactly (the benchdnn/CUTLASS trick).
     */
    SMALL_INTEGERS,
    /**
     * Random values plus, per row, at most one edge value: ±0, ±Inf, NaN, a subnormal, ±the dtype's
     * largest finite value (INT8: −128 and 127). One per row keeps FP32 accumulation free of overflows
     * that a double reference would not see.
     */
    EDGES;

    private static final int ROGUE_INT8 = 99;
    private static final int ROGUE_INT32 = 0x7eadbeef;
    private static final double ROGUE_FLOAT = 768.0;

    /** Fills the logical elements of {@code t}; padding is left alone. */
    public void fill(Tensor t, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long rows = t.rank() == 2 ? t.dim(0) : 1;
        long cols = t.rank() == 2 ? t.dim(1) : t.elementCount();
        long rowStride = t.rank() == 2 ? t.stride(0) : 0;
        DType dtype = t.dtype();
        for (long i = 0; i < rows; i++) {
            long edgeColumn = this == EDGES && cols > 0 && random.nextInt(3) > 0 ? random.nextLong(cols) : -1;
            for (long j = 0; j < cols; j++) {
                double value = j == edgeColumn ? edgeValue(dtype, random) : ordinaryValue(dtype, random);
                dtype.write(t.segment(), i * rowStride + j, value);
            }
        }
    }

    private double ordinaryValue(DType dtype, SplittableRandom random) {
        if (this == SMALL_INTEGERS) {
            return random.nextBoolean() ? 0 : random.nextInt(-3, 4);
        }
        if (!dtype.isFloatingPoint()) {
            return random.nextInt(-128, 128);
        }
        return random.nextDouble(-1, 1);
    }

    private static double edgeValue(DType dtype, SplittableRandom random) {
        if (!dtype.isFloatingPoint()) {
            return random.nextBoolean() ? -128 : 127;
        }
        double[] edges = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            smallestSubnormal(dtype), -smallestSubnormal(dtype), dtype.maxValue(), -dtype.maxValue()};
        return edges[random.nextInt(edges.length)];
    }

    private static double smallestSubnormal(DType dtype) {
        return switch (dtype) {
            case FP16 -> 0x1p-24;
            case BF16 -> 0x1p-133;
            default -> Float.MIN_VALUE;
        };
    }

    /** Writes a rogue value into every padding element (between the columns and the leading dimension). */
    public static void poisonPadding(Tensor t) {
        forEachPadding(t, index -> t.dtype().write(t.segment(), index, rogue(t.dtype())));
    }

    /** True when every padding element still holds the rogue value. */
    public static boolean paddingIntact(Tensor t) {
        boolean[] intact = {true};
        double rogue = rogue(t.dtype());
        forEachPadding(t, index -> intact[0] &= t.dtype().read(t.segment(), index) == rogue);
        return intact[0];
    }

    private static double rogue(DType dtype) {
        return switch (dtype) {
            case INT8 -> ROGUE_INT8;
            case INT32 -> ROGUE_INT32;
            default -> ROGUE_FLOAT;
        };
    }

    private static void forEachPadding(Tensor t, java.util.function.LongConsumer action) {
        if (t.rank() != 2 || t.dim(0) == 0) {
            return;
        }
        long ld = t.stride(0);
        for (long i = 0; i < t.dim(0); i++) {
            for (long j = t.dim(1); j < ld; j++) {
                action.accept(i * ld + j);
            }
        }
    }
}
