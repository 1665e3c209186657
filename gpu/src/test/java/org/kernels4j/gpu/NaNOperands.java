package org.kernels4j.gpu;

import java.lang.foreign.ValueLayout;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * Inputs for the NaN contract of the elementwise reductions (org.kernels4j.comm.Reducer): a NaN result is stored
 * as one quiet NaN per dtype whatever the inputs' signs and payloads, so that a op b and b op a, and every backend,
 * give the same bits.
 */
public final class NaNOperands {
    /**
     * Elements per operand. Each element pair holds at least one NaN (of several signs and payloads, quiet and
     * signalling, the canonical one too), so every result is NaN.
     */
    public static final int COUNT = 6;

    private NaNOperands() {
    }

    /** The canonical quiet NaN's bits: FP32 0x7fc00000, FP16 0x7e00, BF16 0x7fc0. */
    public static int canonicalBits(DType dtype) {
        return switch (dtype) {
            case FP32 -> 0x7fc00000;
            case FP16 -> 0x7e00;
            case BF16 -> 0x7fc0;
            default -> throw new IllegalArgumentException("dtype: " + dtype + " has no NaN");
        };
    }

    /** Operand {@code which}, 0 or 1. */
    public static Tensor operand(DType dtype, int which) {
        if (which != 0 && which != 1) {
            throw new IllegalArgumentException("which: " + which + " (0 or 1)");
        }
        int[][] fp32 = {{0xffc12345, 0x7f800001, 0x3f800000, 0x7fc00000, 0xc0000000, 0x7fffffff},
            {0x3f800000, 0xffbfffff, 0x7fd00000, 0x40000000, 0xff800001, 0x7f812345}};
        int[][] fp16 = {{0xfd01, 0x7c01, 0x3c00, 0x7e00, 0xc000, 0x7fff}, {0x3c00, 0xfdff, 0x7f00, 0x4000, 0xfc01, 0x7e55}};
        int[][] bf16 = {{0xffc1, 0x7f81, 0x3f80, 0x7fc0, 0xc000, 0x7fff}, {0x3f80, 0xffbf, 0x7fd0, 0x4000, 0xff81, 0x7f92}};
        Tensor t = Tensor.allocate(dtype, COUNT);
        for (int i = 0; i < COUNT; i++) {
            switch (dtype) {
                case FP32 -> t.segment().setAtIndex(ValueLayout.JAVA_INT, i, fp32[which][i]);
                case FP16 -> t.segment().setAtIndex(ValueLayout.JAVA_SHORT, i, (short) fp16[which][i]);
                case BF16 -> t.segment().setAtIndex(ValueLayout.JAVA_SHORT, i, (short) bf16[which][i]);
                default -> throw new IllegalArgumentException("dtype: " + dtype + " has no NaN");
            }
        }
        return t;
    }

    /** Element {@code i}'s raw bits. */
    public static int bits(Tensor t, int i) {
        return t.dtype() == DType.FP32 ? t.segment().getAtIndex(ValueLayout.JAVA_INT, i)
                : Short.toUnsignedInt(t.segment().getAtIndex(ValueLayout.JAVA_SHORT, i));
    }
}
