package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;
import org.kernels4j.vector.WorkerPool;

/**
 * The epilogue of GEMMs whose output type is narrower than, or differs from, the accumulator: FP16 and BF16
 * outputs (FP32 accumulator) and the quantized INT8 → FP32 path (exact INT32 accumulator). Those sums must not
 * be rounded to the output between depth slices, so the blocked GEMM accumulates into a workspace of the
 * accumulator type (band by band, see {@link VectorGemm}), and this pass then computes
 * {@code C = alpha·acc + beta·C} in FP32 and rounds it once (to nearest even for FP16/BF16). With beta = 0, C is
 * not read.
 */
final class NarrowingEpilogue {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int ROWS_PER_ITEM = 64;

    private NarrowingEpilogue() {
    }

    /**
     * @param accumulator the m × n workspace, row stride n, of FP32 ({@code accumulatorType} FP32) or INT32 elements
     * @param c           C's memory, of {@code output} elements (FP32, FP16 or BF16)
     * @param cOrigin     element index in C of the workspace's first element
     * @param ldc         C's row stride
     */
    static void apply(WorkerPool pool, long m, long n, MemorySegment accumulator, DType accumulatorType, float alpha,
                      float beta, MemorySegment c, long cOrigin, long ldc, DType output) {
        boolean integerAccumulator = accumulatorType == DType.INT32;
        pool.forEach(Math.toIntExact(Math.ceilDiv(m, ROWS_PER_ITEM)), (item, participant) -> {
            long end = Math.min(m, (item + 1L) * ROWS_PER_ITEM);
            for (long i = (long) item * ROWS_PER_ITEM; i < end; i++) {
                for (long j = 0; j < n; j++) {
                    long w = i * n + j;
                    float acc = integerAccumulator ? (float) accumulator.getAtIndex(INT, w) : accumulator.getAtIndex(FLOAT, w);
                    long index = cOrigin + i * ldc + j;
                    float value = alpha * acc;
                    if (beta != 0f) {
                        value += beta * read(c, index, output);
                    }
                    write(c, index, output, value);
                }
            }
        });
    }

    private static float read(MemorySegment c, long index, DType output) {
        return switch (output) {
            case FP32 -> c.getAtIndex(FLOAT, index);
            case FP16 -> Half.toFloat(c.getAtIndex(SHORT, index));
            case BF16 -> BFloat16.toFloat(c.getAtIndex(SHORT, index));
            default -> throw new IllegalArgumentException("output: " + output + " is not a floating-point GEMM output");
        };
    }

    private static void write(MemorySegment c, long index, DType output, float value) {
        switch (output) {
            case FP32 -> c.setAtIndex(FLOAT, index, value);
            case FP16 -> c.setAtIndex(SHORT, index, Half.fromFloat(value));
            case BF16 -> c.setAtIndex(SHORT, index, BFloat16.fromFloat(value));
            default -> throw new IllegalArgumentException("output: " + output + " is not a floating-point GEMM output");
        }
    }
}
