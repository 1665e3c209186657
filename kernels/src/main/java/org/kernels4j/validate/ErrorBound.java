package org.kernels4j.validate;

import org.kernels4j.DType;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;

/**
 * The per-element error bound of DESIGN.md for a GEMM (or convolution) result:
 * <pre>|y − ref| ≤ c·(k·u_acc + e·u_fp32)·mag + u_out·|ref| + floor</pre>
 * where mag = |alpha|·Σ|a·b| + |beta·c|, u_acc is the accumulation dtype's unit roundoff (0 for exact
 * INT32 accumulation), e counts the FP32 roundings of the epilogue (alpha·acc, + beta·c, and the INT32 →
 * FP32 conversion on the quantized path), u_out is the output dtype's unit roundoff and floor absorbs
 * subnormal outputs (half the output's smallest subnormal, at least FLT_MIN since GPUs may flush
 * denormals). INT8 → INT32 is exact: the bound is 0.
 *
 * @param c        safety constant (2 by default)
 * @param k        reduction length
 * @param uAcc     unit roundoff of the accumulation
 * @param epilogue number of FP32 roundings after accumulation
 * @param output   output dtype
 */
public record ErrorBound(double c, long k, double uAcc, int epilogue, DType output) {
    public static final double DEFAULT_C = 2;

    public static ErrorBound forGemm(GemmSpec spec) {
        boolean integerInput = spec.inputType() == DType.INT8;
        double uAcc = integerInput ? 0 : DType.FP32.unitRoundoff();
        int epilogue;
        if (spec.outputType() == DType.INT32) {
            epilogue = 0;
        } else {
            epilogue = integerInput ? 3 : 2;
        }
        return new ErrorBound(DEFAULT_C, spec.k(), uAcc, epilogue, spec.outputType());
    }

    /**
     * The bound of a convolution: k = C/groups·R·S terms accumulated in FP32 (floating inputs) or exactly (INT8), and
     * one FP32 rounding after the sum for a floating output (adding the bias, or converting the INT32 sum on the
     * quantized path); the magnitude is Σ|x·w| + |bias|.
     */
    public static ErrorBound forConv2d(Conv2dSpec spec) {
        boolean integerInput = spec.inputType() == DType.INT8;
        double uAcc = integerInput ? 0 : DType.FP32.unitRoundoff();
        int epilogue = spec.outputType().isFloatingPoint() ? 1 : 0;
        return new ErrorBound(DEFAULT_C, spec.reductionLength(), uAcc, epilogue, spec.outputType());
    }

    /** The allowed |y − ref| for an element whose exact value is {@code ref} and magnitude {@code magnitude}. */
    public double allowed(double ref, double magnitude) {
        if (!output.isFloatingPoint()) {
            return 0;
        }
        double relative = c * (k * uAcc + epilogue * DType.FP32.unitRoundoff()) * magnitude;
        return relative + output.unitRoundoff() * Math.abs(ref) + floor();
    }

    private double floor() {
        double halfSmallestSubnormal = switch (output) {
            case FP16 -> 0x1p-25;
            case BF16 -> 0x1p-134;
            default -> 0x1p-150;
        };
        return Math.max(halfSmallestSubnormal, Float.MIN_NORMAL);
    }
}
