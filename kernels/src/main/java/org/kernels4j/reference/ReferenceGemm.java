package org.kernels4j.reference;

import java.lang.foreign.MemorySegment;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * The GEMM oracle: a triple loop accumulating floating inputs in double and integer inputs exactly in
 * long (then wrapped to INT32, which equals INT32 accumulation with wrap since wrapping commutes with
 * + and ·). Also returns, per element, the magnitude {@code |alpha|·Σ|a·b| + |beta·c|} that error
 * bounds scale with, and Σ|a·b|, which tells whether an FP32 accumulator may legitimately overflow.
 */
public final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /**
     * Exact-as-possible results and magnitudes, row-major m×n (C is read only when beta ≠ 0).
     *
     * @param values       alpha·op(A)·op(B) + beta·C before rounding to the output dtype
     * @param magnitudes   |alpha|·Σ|a·b| + |beta·c| per element
     * @param productSums  Σ|a·b| per element: what an accumulator may have to hold before alpha scales it
     */
    public record Result(double[] values, double[] magnitudes, double[] productSums) {
    }

    public static Result compute(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        spec.checkOperands(a, b, c);
        int m = Math.toIntExact(spec.m());
        int n = Math.toIntExact(spec.n());
        double[] values = new double[Math.multiplyExact(m, n)];
        double[] magnitudes = new double[values.length];
        double[] productSums = new double[values.length];
        boolean readProducts = spec.alpha() != 0f && spec.k() > 0;
        boolean integer = spec.inputType() == DType.INT8;
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        DType in = spec.inputType();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double product = 0;
                double magnitude = 0;
                if (readProducts) {
                    long exact = 0;
                    for (long p = 0; p < spec.k(); p++) {
                        double x = in.read(sa, aIndex(spec, i, p));
                        double y = in.read(sb, bIndex(spec, p, j));
                        if (integer) {
                            exact += (long) x * (long) y;
                        } else {
                            product += x * y;
                        }
                        magnitude += Math.abs(x * y);
                    }
                    if (integer) {
                        product = (int) exact;
                    }
                }
                values[i * n + j] = combine(spec, product, c, i, j);
                productSums[i * n + j] = magnitude;
                magnitudes[i * n + j] = Math.abs(spec.alpha()) * magnitude
                        + (spec.beta() == 0f ? 0 : Math.abs(spec.beta() * cValue(spec, c, i, j)));
            }
        }
        return new Result(values, magnitudes, productSums);
    }

    private static double combine(GemmSpec spec, double product, Tensor c, int i, int j) {
        double beta = spec.beta();
        if (spec.outputType() == DType.INT32) {
            long sum = (long) spec.alpha() * (long) product;
            if (beta != 0) {
                sum += (long) beta * (long) cValue(spec, c, i, j);
            }
            return (int) sum;
        }
        double value = spec.alpha() * product;
        return beta == 0 ? value : value + beta * cValue(spec, c, i, j);
    }

    private static double cValue(GemmSpec spec, Tensor c, int i, int j) {
        return spec.outputType().read(c.segment(), i * spec.ldc() + j);
    }

    static long aIndex(GemmSpec spec, long i, long p) {
        return spec.transA() ? p * spec.lda() + i : i * spec.lda() + p;
    }

    static long bIndex(GemmSpec spec, long p, long j) {
        return spec.transB() ? j * spec.ldb() + p : p * spec.ldb() + j;
    }
}
