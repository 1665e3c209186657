package org.kernels4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

class GemmSpecTest {
    private static GemmSpec.Builder valid() {
        return GemmSpec.builder().m(4).n(5).k(6);
    }

    @Test
    void infersShapesAndLeadingDimensionsFromTensors() {
        try (Tensor a = Tensor.allocateMatrix(DType.FP16, 6, 4, 9); Tensor b = Tensor.allocate(DType.FP16, 5, 6)) {
            GemmSpec spec = GemmSpec.of(a, true, b, true).alpha(2f).beta(0.5f).outType(DType.FP16);
            assertEquals(4, spec.m());
            assertEquals(5, spec.n());
            assertEquals(6, spec.k());
            assertEquals(9, spec.lda());
            assertEquals(6, spec.ldb());
            assertEquals(5, spec.ldc());
            assertEquals(DType.FP16, spec.outputType());
            assertEquals(2 * 4 * 5 * 6, spec.flops());
        }
    }

    @Test
    void defaultsFollowTheDtypeTable() {
        assertEquals(DType.FP32, valid().inputType(DType.BF16).build().outputType());
        assertEquals(DType.INT32, valid().inputType(DType.INT8).build().outputType());
        assertEquals(6, valid().build().lda());
        assertEquals(4, valid().transA(true).build().lda());
    }

    @Test
    void checksFieldsInReferenceBlasOrder() {
        // m, n and k are all bad: m is reported first, as the reference BLAS does.
        assertMessage("m: -1 is negative", () -> GemmSpec.builder().m(-1).n(-1).k(-1).build());
        assertMessage("n: -2 is negative", () -> GemmSpec.builder().m(1).n(-2).k(-1).build());
        assertMessage("k: -3 is negative", () -> GemmSpec.builder().m(1).n(1).k(-3).lda(0).build());
        assertMessage("lda: 5 is less than max(1, k = 6)", () -> valid().lda(5).ldb(0).build());
        assertMessage("lda: 3 is less than max(1, m = 4)", () -> valid().transA(true).lda(3).build());
        assertMessage("ldb: 4 is less than max(1, n = 5)", () -> valid().ldb(4).ldc(0).build());
        assertMessage("ldb: 5 is less than max(1, k = 6)", () -> valid().transB(true).ldb(5).build());
        assertMessage("ldc: 4 is less than max(1, n = 5)", () -> valid().ldc(4).build());
        assertMessage("lda: 0 is less than max(1, k = 0)", () -> GemmSpec.builder().m(1).n(1).k(0).lda(0).build());
        assertMessage("lda: -1 is less than max(1, k = 6)", () -> valid().lda(-1).build());
    }

    @Test
    void rejectsUnsupportedDtypePairs() {
        assertMessage("outputType: FP16 is not supported for inputType FP32 (FP32→FP32, FP16→FP32|FP16, BF16→FP32|BF16, INT8→INT32|FP32)",
                () -> valid().outputType(DType.FP16).build());
        assertMessage("outputType: INT32 is not supported for inputType INT32 (FP32→FP32, FP16→FP32|FP16, BF16→FP32|BF16, INT8→INT32|FP32)",
                () -> valid().inputType(DType.INT32).outputType(DType.INT32).build());
        assertMessage("outputType: BF16 is not supported for inputType FP16 (FP32→FP32, FP16→FP32|FP16, BF16→FP32|BF16, INT8→INT32|FP32)",
                () -> valid().inputType(DType.FP16).outputType(DType.BF16).build());
    }

    @Test
    void rejectsNonFiniteAndNonIntegerScalars() {
        assertMessage("alpha: NaN is not finite", () -> valid().alpha(Float.NaN).build());
        assertMessage("beta: Infinity is not finite", () -> valid().beta(Float.POSITIVE_INFINITY).build());
        assertMessage("alpha: 0.7 must be an integer when the output is INT32 (use outputType FP32 for scaled INT8)",
                () -> valid().inputType(DType.INT8).alpha(0.7f).build());
        assertEquals(0.7f, valid().inputType(DType.INT8).outputType(DType.FP32).alpha(0.7f).build().alpha());
    }

    @Test
    void operandChecksNameTheOperandFieldAndValues() {
        GemmSpec spec = valid().build();
        try (Tensor a = Tensor.allocate(DType.FP32, 4, 6); Tensor b = Tensor.allocate(DType.FP32, 6, 5);
             Tensor c = Tensor.allocate(DType.FP32, 4, 5); Tensor wrongType = Tensor.allocate(DType.FP16, 6, 5);
             Tensor wrongShape = Tensor.allocate(DType.FP32, 5, 4); Tensor padded = Tensor.allocateMatrix(DType.FP32, 4, 6, 8);
             Tensor vector = Tensor.allocate(DType.FP32, 24)) {
            spec.checkOperands(a, b, c);
            assertMessage("b.dtype: FP16 but the spec needs FP32", () -> spec.checkOperands(a, wrongType, c));
            assertMessage("c.shape: [5, 4] but the spec needs [4, 5]", () -> spec.checkOperands(a, b, wrongShape));
            assertMessage("a.strides[0]: 8 differs from the spec's leading dimension 6", () -> spec.checkOperands(padded, b, c));
            assertMessage("a.rank: 1 but GEMM needs a matrix (rank 2)", () -> spec.checkOperands(vector, b, c));
            assertMessage("k: op(a) has 6 columns but op(b) has 5 rows", () -> GemmSpec.of(a, wrongShape));
            assertMessage("b.dtype: FP16 differs from a.dtype FP32", () -> GemmSpec.of(a, wrongType));
        }
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
