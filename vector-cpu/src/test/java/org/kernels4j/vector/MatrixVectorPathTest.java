package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.vector.gemm.GemmConfig;

/**
 * GEMMs with a short side (m or n ≤ 64) skip packing, yet must give the packed path's bits: a convolution
 * cut into tiles of different widths, or a batch of one row, must not see where the path changed. Row i of
 * C depends only on row i of op(A) (column j only on column j of op(B)), so the few rows computed alone
 * must equal the same rows computed inside a taller, packed product — with a kc small enough that the
 * reduction spans several slices.
 */
class MatrixVectorPathTest {
    /** Rows or columns of the packed product the short one is cut from: more than the short paths take (so n > 64 too). */
    private static final int TALL = 70;
    private static final GemmConfig SMALL_BLOCKS = new GemmConfig(GemmConfig.AUTO, 64, 16, 32);

    @ParameterizedTest(name = "short side {0}, k {1}, n {2}, {3} threads, {4}")
    @CsvSource({"1, 300, 77, 1, FP32", "5, 300, 77, 2, FP32", "8, 97, 77, 3, FP32", "3, 64, 77, 2, FP32",
            "17, 300, 77, 2, FP32", "33, 130, 300, 1, FP32", "64, 97, 300, 2, FP32", "1, 301, 77, 2, BF16",
            "9, 130, 300, 2, BF16", "1, 301, 77, 1, FP16", "13, 130, 300, 2, FP16", "40, 97, 131, 1, BF16"})
    void shortRowsGiveThePackedPathsBits(int rows, int k, int n, int threads, DType input) {
        shortRowsGiveThePackedPathsBits(rows, k, n, threads, input, SMALL_BLOCKS);
    }

    /** Slices of the automatic depth, deeper than one pass of the short path over its blocks. */
    @ParameterizedTest(name = "short side {0}, k {1}, n {2}, {3} threads, {4}")
    @CsvSource({"12, 1100, 300, 1, FP32", "64, 1100, 203, 2, FP32", "20, 1100, 203, 2, BF16", "33, 1100, 203, 1, FP16"})
    void shortRowsGiveThePackedPathsBitsAcrossPasses(int rows, int k, int n, int threads, DType input) {
        shortRowsGiveThePackedPathsBits(rows, k, n, threads, input, GemmConfig.AUTOMATIC);
    }

    private static void shortRowsGiveThePackedPathsBits(int rows, int k, int n, int threads, DType input, GemmConfig config) {
        try (Backend backend = new VectorCpuBackend(new BackendContext(threads), config);
             Tensor a = random(input, TALL, k, 1); Tensor b = random(input, k, n, 2);
             Tensor shortA = Tensor.allocate(input, rows, k);
             Tensor shortC = random(DType.FP32, rows, n, 3); Tensor tallC = random(DType.FP32, TALL, n, 3)) {
            shortA.segment().copyFrom(a.segment().asSlice(0, (long) rows * k * input.byteSize()));
            backend.gemm(GemmSpec.of(shortA, false, b, false).outType(DType.FP32).alpha(0.7f).beta(1.3f), shortA, b, shortC);
            backend.gemm(GemmSpec.of(a, false, b, false).outType(DType.FP32).alpha(0.7f).beta(1.3f), a, b, tallC);
            assertArrayEquals(firstRows(tallC, rows, n), shortC.toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest(name = "short side {0}, k {1}, {2} threads")
    @CsvSource({"1, 300, 1", "6, 130, 2", "40, 301, 2"})
    void shortColumnsGiveThePackedPathsBits(int columns, int k, int threads) {
        int m = 237;
        try (Backend backend = new VectorCpuBackend(new BackendContext(threads), SMALL_BLOCKS);
             Tensor aT = random(DType.FP32, k, m, 4); Tensor b = random(DType.FP32, k, TALL, 5);
             Tensor shortB = Tensor.allocate(DType.FP32, k, columns);
             Tensor shortC = Tensor.allocate(DType.FP32, m, columns); Tensor tallC = Tensor.allocate(DType.FP32, m, TALL)) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < columns; j++) {
                    shortB.set(b.get(p, j), p, j);
                }
            }
            backend.gemm(GemmSpec.of(aT, true, shortB, false), aT, shortB, shortC);
            backend.gemm(GemmSpec.of(aT, true, b, false), aT, b, tallC);
            double[] tall = tallC.toDoubleArray();
            double[] expected = new double[m * columns];
            for (int i = 0; i < m; i++) {
                System.arraycopy(tall, i * TALL, expected, i * columns, columns);
            }
            assertArrayEquals(expected, shortC.toDoubleArray(), 0.0);
        }
    }

    private static double[] firstRows(Tensor c, int rows, int n) {
        double[] all = c.toDoubleArray();
        double[] first = new double[rows * n];
        System.arraycopy(all, 0, first, 0, first.length);
        return first;
    }

    private static Tensor random(DType dtype, int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return Tensor.fromFloats(dtype, values, rows, columns);
    }
}
