package org.kernels4j.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/** The oracle against hand-computed results and the BLAS rules. */
class ReferenceGemmTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void multipliesWithTransposesAlphaAndBeta() {
        // op(A) = [[1,2,3],[4,5,6]] stored transposed; op(B) = [[1,0],[0,1],[1,1]] stored transposed.
        try (Tensor a = Tensor.fromFloats(DType.FP32, new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
             Tensor b = Tensor.fromFloats(DType.FP32, new float[] {1, 0, 1, 0, 1, 1}, 2, 3);
             Tensor c = Tensor.fromFloats(DType.FP32, new float[] {1, 1, 1, 1}, 2, 2)) {
            GemmSpec spec = GemmSpec.of(a, true, b, true).alpha(2f).beta(-1f);
            reference.gemm(spec, a, b, c);
            assertArrayEquals(new float[] {7, 9, 19, 21}, c.toFloatArray());
        }
    }

    @Test
    void betaZeroNeverReadsC() {
        try (Tensor a = Tensor.fromFloats(DType.FP32, new float[] {2}, 1, 1);
             Tensor b = Tensor.fromFloats(DType.FP32, new float[] {3}, 1, 1);
             Tensor c = Tensor.fromFloats(DType.FP32, new float[] {Float.NaN}, 1, 1)) {
            reference.gemm(GemmSpec.of(a, b), a, b, c);
            assertArrayEquals(new float[] {6}, c.toFloatArray());
        }
    }

    @Test
    void alphaZeroOrEmptyKScalesCWithoutReadingAB() {
        try (Tensor a = Tensor.fromFloats(DType.FP32, new float[] {Float.NaN}, 1, 1);
             Tensor b = Tensor.fromFloats(DType.FP32, new float[] {Float.POSITIVE_INFINITY}, 1, 1);
             Tensor c = Tensor.fromFloats(DType.FP32, new float[] {5}, 1, 1)) {
            reference.gemm(GemmSpec.of(a, b).alpha(0f).beta(3f), a, b, c);
            assertArrayEquals(new float[] {15}, c.toFloatArray());
        }
        try (Tensor a = Tensor.allocate(DType.FP32, 2, 0); Tensor b = Tensor.allocate(DType.FP32, 0, 2);
             Tensor c = Tensor.fromFloats(DType.FP32, new float[] {Float.NaN, 1, 2, 3}, 2, 2)) {
            reference.gemm(GemmSpec.of(a, b).beta(0f), a, b, c);
            assertArrayEquals(new float[] {0, 0, 0, 0}, c.toFloatArray());
        }
    }

    @Test
    void int8AccumulatesExactlyAndWrapsInInt32() {
        int k = (1 << 17) + 3;
        byte[] values = new byte[k];
        java.util.Arrays.fill(values, (byte) -128);
        try (Tensor a = Tensor.fromBytes(values, 1, k); Tensor b = Tensor.fromBytes(values, k, 1);
             Tensor c = Tensor.fromInts(new int[] {7}, 1, 1)) {
            reference.gemm(GemmSpec.of(a, b).beta(1f), a, b, c);
            // (2^17 + 3)·2^14 = 2^31 + 3·2^14 wraps to −2^31 + 49152; plus beta·C = 7.
            assertEquals(Integer.MIN_VALUE + 3 * (1 << 14) + 7, c.toIntArray()[0]);
        }
    }

    @Test
    void halfPrecisionOutputRoundsAndOverflows() {
        try (Tensor a = Tensor.fromFloats(DType.FP16, new float[] {256, 256}, 1, 2);
             Tensor b = Tensor.fromFloats(DType.FP16, new float[] {128, 128}, 2, 1);
             Tensor c = Tensor.allocate(DType.FP16, 1, 1)) {
            reference.gemm(GemmSpec.of(a, b).outType(DType.FP16), a, b, c);
            assertEquals(Float.POSITIVE_INFINITY, c.toFloatArray()[0]);
        }
    }

    @Test
    void emptyOutputIsANoOp() {
        try (Tensor a = Tensor.allocate(DType.FP32, 0, 3); Tensor b = Tensor.allocate(DType.FP32, 3, 4);
             Tensor c = Tensor.allocate(DType.FP32, 0, 4)) {
            reference.gemm(GemmSpec.of(a, b).beta(2f), a, b, c);
            assertEquals(0, c.elementCount());
        }
    }
}
