package org.kernels4j.comm;

import java.util.SplittableRandom;
import org.kernels4j.DType;

/**
 * Per-rank test inputs, already representable in their dtype. EXACT keeps every partial result exact
 * in every dtype (small integers; powers of two for PROD), so results must match the reference to the
 * bit; RANDOM exercises rounding (floats) and wrap-around (integers).
 */
public enum Fill {
    EXACT, RANDOM;

    public double[][] generate(DType dtype, ReduceOp op, int ranks, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] inputs = new double[ranks][count];
        for (int r = 0; r < ranks; r++) {
            for (int i = 0; i < count; i++) {
                inputs[r][i] = dtype.round(value(dtype, op, random));
            }
        }
        return inputs;
    }

    private double value(DType dtype, ReduceOp op, SplittableRandom random) {
        if (this == EXACT) {
            return switch (op) {
                // |sum| <= 7 * 4 = 28: exact even in BF16 (8 significant bits).
                case SUM, AVG -> random.nextInt(-4, 5);
                // Powers of two multiply exactly; 2^7 is far from every range limit.
                case PROD -> new double[] {-2, -1, 1, 2}[random.nextInt(4)];
                case MAX, MIN -> random.nextInt(-100, 101);
            };
        }
        if (!dtype.isFloatingPoint()) {
            return dtype == DType.INT8 ? random.nextInt(-128, 128) : random.nextInt();
        }
        return switch (op) {
            case SUM, AVG -> random.nextDouble(-1, 1);
            case PROD -> (random.nextBoolean() ? 1 : -1) * random.nextDouble(0.5, 2);
            case MAX, MIN -> random.nextDouble(-1000, 1000);
        };
    }
}
