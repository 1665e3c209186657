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
 * GEMMs with a short side (m or n ≤ 8) skip packing, yet must give the packed path's bits: a convolution
 * cut into tiles of different widths, or a batch of one row, must not see where the path changed. Row i of
 * C depends only on row i of op(A) (column j only on column j of op(B)), so the few rows computed alone
 * must equal the same rows computed inside a taller, packed product — with a kc small enough that the
 * reduction spans several slices.
 */
class MatrixVectorPathTest {
    private static final int TALL = 29;

    @ParameterizedTest(name = "short side {0}, k {1}, {2} threads")
    @CsvSource({"1, 300, 1", "5, 300, 2", "8, 97, 3", "3, 64, 2"})
    void shortRowsGiveThePackedPathsBits(int rows, int k, int threads) {
        int n = 45;
        try (Backend backend = new VectorCpuBackend(new BackendContext(threads), new GemmConfig(GemmConfig.AUTO, 64, 16, 32));
             Tensor a = random(TALL, k, 1); Tensor b = random(k, n, 2);
             Tensor shortA = Tensor.allocate(DType.FP32, rows, k);
             Tensor shortC = random(rows, n, 3); Tensor tallC = random(TALL, n, 3)) {
            shortA.segment().copyFrom(a.segment().asSlice(0, (long) rows * k * Float.BYTES));
            backend.gemm(GemmSpec.of(shortA, false, b, false).alpha(0.7f).beta(1.3f), shortA, b, shortC);
            backend.gemm(GemmSpec.of(a, false, b, false).alpha(0.7f).beta(1.3f), a, b, tallC);
            assertArrayEquals(firstRows(tallC, rows, n), shortC.toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest(name = "short side {0}, k {1}, {2} threads")
    @CsvSource({"1, 300, 1", "6, 130, 2"})
    void shortColumnsGiveThePackedPathsBits(int columns, int k, int threads) {
        int m = 37;
        try (Backend backend = new VectorCpuBackend(new BackendContext(threads), new GemmConfig(GemmConfig.AUTO, 64, 16, 32));
             Tensor aT = random(k, m, 4); Tensor b = random(k, TALL, 5);
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

    private static Tensor random(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return Tensor.fromFloats(DType.FP32, values, rows, columns);
    }
}
