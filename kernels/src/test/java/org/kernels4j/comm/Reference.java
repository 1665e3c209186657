package org.kernels4j.comm;

import org.kernels4j.DType;

/**
 * The oracle for reducing collectives: the reduction in double (integers: in wrapping int arithmetic,
 * which is exact modulo 2^32 and hence modulo 2^8), rounded once into the dtype; and the error a
 * correct implementation may show against it. Public for the command line's tests.
 */
public final class Reference {
    private Reference() {
    }

    public static double[] reduce(DType dtype, ReduceOp op, double[][] inputs) {
        int count = inputs[0].length;
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            result[i] = dtype.round(dtype.isFloatingPoint() ? reduceFloat(op, inputs, i) : reduceInt(op, inputs, i));
        }
        return result;
    }

    /**
     * Largest |actual − reference| allowed for element {@code i}. Each of the n − 1 combining steps
     * ("hops") rounds once: to FP32 (unit roundoff 2^-24), and for FP16/BF16 once more to the dtype, so a
     * hop costs at most u_hop = u_dtype + 2^-24 relative. Summation error is then at most
     * (n − 1)·u_hop·Σ|x| and a product's (n − 1)·u_hop·|x₁⋯xₙ| (first order; the factor 2 covers the rest),
     * plus the reference's own rounding u_dtype·|ref|; AVG adds one rounding of the division. MAX and MIN
     * and every integer op are exact. With {@link Fill#EXACT} every partial sum and product is exact, so
     * only AVG's final division may differ (by double rounding through FP32).
     */
    public static double tolerance(DType dtype, ReduceOp op, double[][] inputs, int i, double reference, Fill fill) {
        if (!dtype.isFloatingPoint() || op == ReduceOp.MAX || op == ReduceOp.MIN) {
            return 0;
        }
        double u = dtype.unitRoundoff();
        if (fill == Fill.EXACT) {
            return op == ReduceOp.AVG ? 2 * u * Math.abs(reference) : 0;
        }
        int hops = inputs.length - 1;
        double hopRoundoff = dtype == DType.FP32 ? u : u + DType.FP32.unitRoundoff();
        double sumOfMagnitudes = 0;
        double productMagnitude = 1;
        for (double[] rank : inputs) {
            sumOfMagnitudes += Math.abs(rank[i]);
            productMagnitude *= Math.abs(rank[i]);
        }
        return switch (op) {
            case SUM -> 2 * hops * hopRoundoff * sumOfMagnitudes + u * Math.abs(reference);
            case AVG -> 2 * hops * hopRoundoff * sumOfMagnitudes / inputs.length + 2 * u * Math.abs(reference);
            case PROD -> 2 * hops * hopRoundoff * productMagnitude + u * Math.abs(reference);
            case MAX, MIN -> throw new AssertionError(op);
        };
    }

    private static double reduceFloat(ReduceOp op, double[][] inputs, int i) {
        double acc = inputs[0][i];
        for (int r = 1; r < inputs.length; r++) {
            double x = inputs[r][i];
            acc = switch (op) {
                case SUM, AVG -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
            };
        }
        return op == ReduceOp.AVG ? acc / inputs.length : acc;
    }

    private static double reduceInt(ReduceOp op, double[][] inputs, int i) {
        int acc = (int) inputs[0][i];
        for (int r = 1; r < inputs.length; r++) {
            int x = (int) inputs[r][i];
            acc = switch (op) {
                case SUM -> acc + x;
                case PROD -> acc * x;
                case MAX -> Math.max(acc, x);
                case MIN -> Math.min(acc, x);
                case AVG -> throw new AssertionError("AVG is rejected for integers");
            };
        }
        return acc;
    }
}
