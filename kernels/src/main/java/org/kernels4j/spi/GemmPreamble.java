package org.kernels4j.spi;

import java.lang.foreign.MemorySegment;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * The reference-BLAS quick returns shared by every backend, so that no backend re-derives them:
 * m = 0 or n = 0 does nothing; alpha = 0 or k = 0 leaves {@code beta·C} (zeros when beta = 0,
 * never reading C) without touching A or B.
 */
public final class GemmPreamble {
    private GemmPreamble() {
    }

    /**
     * Checks the operands, then handles the cases that need no product.
     *
     * @return true when the call is complete, false when the backend must compute alpha·op(A)·op(B) + beta·C
     */
    public static boolean handleTrivialCases(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        spec.checkOperands(a, b, c);
        if (spec.m() == 0 || spec.n() == 0) {
            return true;
        }
        if (spec.alpha() == 0f || spec.k() == 0) {
            scaleC(spec, c);
            return true;
        }
        return false;
    }

    private static void scaleC(GemmSpec spec, Tensor c) {
        if (spec.beta() == 1f) {
            return;
        }
        MemorySegment segment = c.segment();
        DType type = spec.outputType();
        double beta = spec.beta();
        for (long i = 0; i < spec.m(); i++) {
            long row = i * spec.ldc();
            for (long j = 0; j < spec.n(); j++) {
                if (beta == 0) {
                    type.write(segment, row + j, 0);
                } else if (type == DType.INT32) {
                    // Integer beta times INT32 wraps modulo 2^32: multiply in long, where it is exact.
                    long product = (long) beta * (long) type.read(segment, row + j);
                    type.write(segment, row + j, (int) product);
                } else {
                    type.write(segment, row + j, beta * type.read(segment, row + j));
                }
            }
        }
    }
}
