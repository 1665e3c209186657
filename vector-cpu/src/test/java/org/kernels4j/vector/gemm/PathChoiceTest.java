package org.kernels4j.vector.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * Which unpacked path, if any, a shape takes: only a short side (≤ 64 rows or columns) skips packing, and only when its partner's lines lie the way the path reads them.
 */
class PathChoiceTest {
    @ParameterizedTest(name = "{0}×{1}×{2} transA {3} transB {4} {5}: matrix-vector {6}, dot product {7}")
    @CsvSource({
        "1, 4096, 4096, false, false, FP32, true, false",
        "8, 4096, 4096, true, false, FP32, true, false",
        "8, 4096, 4096, false, true, FP32, false, true",
        "32, 4096, 4096, true, true, BF16, false, true",
        "64, 11008, 4096, false, true, FP16, false, true",
        "65, 4096, 4096, false, true, FP32, false, false",
        "32, 4096, 4096, true, false, FP32, true, false",
        "64, 11008, 4096, false, false, FP32, true, false",
        "65, 4096, 4096, false, false, FP32, false, false",
        // Neither side short: packed, not one 'short' side of 4096.
        "65, 4096, 4096, true, false, FP32, false, false",
        "4096, 6, 4096, true, false, FP32, true, false",
        "4096, 40, 4096, false, false, FP32, false, true",
        "8, 4096, 4096, false, false, FP16, true, false",
        "64, 4096, 4096, false, false, BF16, true, false",
        "8, 4096, 4096, false, true, INT8, false, false",
        "8, 4096, 4096, false, false, INT8, true, false"})
    void choosesByShapeTransposesAndDtype(long m, long n, long k, boolean transA, boolean transB, DType input,
                                          boolean matrixVector, boolean dotProduct) {
        GemmSpec spec = GemmSpec.builder().m(m).n(n).k(k).transA(transA).transB(transB).inputType(input)
                .outputType(input == DType.INT8 ? DType.INT32 : DType.FP32).build();
        assertEquals(matrixVector, MatrixVectorGemm.applies(spec), "matrix-vector");
        assertEquals(dotProduct, DotProductGemm.applies(spec), "dot product");
    }
}
