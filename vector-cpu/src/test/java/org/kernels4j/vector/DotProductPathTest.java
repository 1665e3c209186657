package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;
import org.kernels4j.vector.gemm.GemmConfig;
import org.kernels4j.vector.gemm.VectorGemm;

/**
 * GEMMs with a short side (m or n ≤ 64) whose partner's lines run along the reduction — C = A·Wᵀ with few rows —
 * take the unpacked dot-product path: right within the reference's bounds for every float input, edges of every
 * kind (short sides not a multiple of the kernel's rows, long sides not a multiple of its lines, a depth past the
 * 4096-deep chunks and not a multiple of the vector), bit-identical for any thread count and call, and a row the
 * same alone or in a batch; {@link VectorGemm#gemmInDepthOrder} keeps the packed path's bits whatever the shape,
 * which convolution tiles need.
 */
class DotProductPathTest {
    private static final DType[] INPUTS = {DType.FP32, DType.FP16, DType.BF16};

    static Stream<GemmCase> shortSideCases() {
        long[][] shapes = {
            // m, n, k, transA, transB
            {1, 45, 4109, 0, 1}, {7, 50, 300, 1, 1}, {37, 29, 97, 0, 1}, {64, 70, 33, 0, 1}, {45, 5, 131, 0, 0},
            {70, 3, 4100, 0, 1}, {4, 8, 7, 1, 1}};
        List<GemmCase> cases = new ArrayList<>();
        long seed = 40;
        for (DType input : INPUTS) {
            for (long[] shape : shapes) {
                GemmSpec minimal = GemmSpec.builder().m(shape[0]).n(shape[1]).k(shape[2]).transA(shape[3] == 1)
                        .transB(shape[4] == 1).inputType(input).outputType(DType.FP32).build();
                GemmSpec spec = minimal.toBuilder().lda(minimal.lda() + 3).ldb(minimal.ldb() + 1).ldc(minimal.ldc() + 2)
                        .alpha(0.7f).beta(seed % 2 == 0 ? 0f : 1.3f).build();
                cases.add(new GemmCase(spec, seed % 3 == 0 ? Fill.SMALL_INTEGERS : Fill.RANDOM, seed++));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shortSideCases")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void matchesTheReference(GemmCase testCase) {
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC)) {
            CheckResult<GemmCase> result = GemmCheck.check(backend, testCase);
            assertTrue(result.passed(), () -> testCase + ": " + result.summary());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void resultsAreBitIdenticalForOneTwoAndThreeThreadsAndRepeatedCalls() {
        for (DType input : INPUTS) {
            for (GemmSpec spec : List.of(
                    GemmSpec.builder().m(13).n(301).k(4109).transB(true).inputType(input).outputType(DType.FP32)
                            .alpha(0.7f).beta(1.3f).build(),
                    GemmSpec.builder().m(301).n(6).k(523).inputType(input).outputType(DType.FP32).build())) {
                double[] oneThread = run(1, spec);
                assertArrayEquals(oneThread, run(1, spec), 0.0, spec + ", again");
                for (int threads : new int[] {2, 3}) {
                    assertArrayEquals(oneThread, run(threads, spec), 0.0, spec + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRowHasTheSameBitsAloneAndInABatch() {
        int k = 4105;
        int n = 77;
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC);
             Tensor batch = random(DType.FP32, 37, k, 1); Tensor w = random(DType.FP32, n, k, 2);
             Tensor row = Tensor.allocate(DType.FP32, 1, k);
             Tensor batchC = Tensor.allocate(DType.FP32, 37, n); Tensor rowC = Tensor.allocate(DType.FP32, 1, n)) {
            row.segment().copyFrom(batch.segment().asSlice(5L * k * Float.BYTES, (long) k * Float.BYTES));
            backend.gemm(GemmSpec.of(batch, false, w, true), batch, w, batchC);
            backend.gemm(GemmSpec.of(row, false, w, true), row, w, rowC);
            assertArrayEquals(Arrays.copyOfRange(batchC.toDoubleArray(), 5 * n, 6 * n), rowC.toDoubleArray(), 0.0);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void inDepthOrderRowsHaveTheSameBitsInProductsOfAnyShape() {
        int tall = 70;
        int k = 300;
        // Both sides of the tall product are longer than 64: only the packed path can run it.
        int n = 80;
        int rows = 5;
        try (WorkerPool pool = new WorkerPool(2, "dot-test");
             Tensor a = random(DType.FP32, tall, k, 3); Tensor w = random(DType.FP32, n, k, 4);
             Tensor shortA = Tensor.allocate(DType.FP32, rows, k);
             Tensor shortC = Tensor.allocate(DType.FP32, rows, n); Tensor tallC = Tensor.allocate(DType.FP32, tall, n)) {
            VectorGemm gemm = new VectorGemm(pool, CpuInfo.detect(), new GemmConfig(GemmConfig.AUTO, 64, 16, 32));
            shortA.segment().copyFrom(a.segment().asSlice(0, (long) rows * k * Float.BYTES));
            gemm.gemmInDepthOrder(GemmSpec.of(shortA, false, w, true), shortA, w, shortC);
            gemm.gemmInDepthOrder(GemmSpec.of(a, false, w, true), a, w, tallC);
            assertArrayEquals(Arrays.copyOf(tallC.toDoubleArray(), rows * n), shortC.toDoubleArray(), 0.0);
        }
    }

    private static double[] run(int threads, GemmSpec spec) {
        try (Backend backend = new VectorCpuBackend(new BackendContext(threads), GemmConfig.AUTOMATIC);
             Tensor a = Tensor.allocateMatrix(spec.inputType(), spec.aRows(), spec.aCols(), spec.lda());
             Tensor b = Tensor.allocateMatrix(spec.inputType(), spec.bRows(), spec.bCols(), spec.ldb());
             Tensor c = Tensor.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc())) {
            Fill.RANDOM.fill(a, 31);
            Fill.RANDOM.fill(b, 32);
            Fill.RANDOM.fill(c, 33);
            backend.gemm(spec, a, b, c);
            backend.gemm(spec, a, b, c);
            return c.toDoubleArray();
        }
    }

    private static Tensor random(DType dtype, int rows, int columns, long seed) {
        Tensor t = Tensor.allocate(dtype, rows, columns);
        Fill.RANDOM.fill(t, seed);
        return t;
    }
}
