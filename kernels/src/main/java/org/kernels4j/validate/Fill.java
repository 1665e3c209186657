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
     * Random values plus at most one edge value per line along the reduction (see {@link #fill(Tensor,
     * long, boolean)}): ±0, ±Inf, NaN, a subnormal, ±the dtype's largest finite value (INT8: −128 and 127).
     * With at most one edge term from each operand in any dot product, FP32 accumulation meets no
     * overflow that cancels later, which a double reference would not see.
     */
    EDGES;

    private static final int ROGUE_INT8 = 99;
    private static final int ROGUE_INT32 = 0x7eadbeef;
    private static final double ROGUE_FLOAT = 768.0;

    /** Fills the logical elements of {@code t} with at most one edge value per row; padding is left alone. */
    public void fill(Tensor t, long seed) {
        fill(t, seed, false);
    }

    /**
     * Fills the logical elements of {@code t}; padding is left alone. {@link #EDGES} places at most one
     * edge value per row, or per column when {@code edgesPerColumn} (for an operand whose reduction runs
     * down its columns, such as B in A·B).
     */
    public void fill(Tensor t, long seed, boolean edgesPerColumn) {
        SplittableRandom random = new SplittableRandom(seed);
        long rows = t.rank() == 2 ? t.dim(0) : 1;
        long cols = t.rank() == 2 ? t.dim(1) : t.elementCount();
        long rowStride = t.rank() == 2 ? t.stride(0) : 0;
        long lines = edgesPerColumn ? cols : rows;
        long lineLength = edgesPerColumn ? rows : cols;
        long[] edgeAt = new long[Math.toIntExact(lines)];
        for (int line = 0; line < lines; line++) {
            edgeAt[line] = this == EDGES && lineLength > 0 && random.nextInt(3) > 0 ? random.nextLong(lineLength) : -1;
        }
        DType dtype = t.dtype();
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                boolean edge = edgesPerColumn ? edgeAt[(int) j] == i : edgeAt[(int) i] == j;
                double value = edge ? edgeValue(dtype, random) : ordinaryValue(dtype, random);
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
        // A borrowed tensor may end right after its last element: only padding inside the segment exists.
        long elements = t.segment().byteSize() / t.dtype().byteSize();
        for (long i = 0; i < t.dim(0); i++) {
            for (long j = t.dim(1); j < ld && i * ld + j < elements; j++) {
                action.accept(i * ld + j);
            }
        }
    }
}
