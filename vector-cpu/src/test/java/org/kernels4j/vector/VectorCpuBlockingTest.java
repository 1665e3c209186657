package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

/**
 * What the conformance matrix cannot reach with the default blocking: tiny block sizes, so that small matrices
 * cross many kc slices, mc row blocks and nc column blocks with edge tiles in each; both FP32 kernel shapes
 * whatever the machine prefers; bit-identical results for 1, 2 and 3 threads under that blocking; a long
 * reduction through the FP16/BF16/INT8→FP32 workspaces, and outputs too large for one workspace band.
 */
class VectorCpuBlockingTest {
    /** kc 16, mc 8 and nc 40 (rounded to the kernel's tile): blocks far smaller than the matrices below. */
    private static final int KC = 16;
    private static final int MC = 8;
    private static final int NC = 40;
    private static final DType[][] PAIRS = {
        {DType.FP32, DType.FP32}, {DType.FP16, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.FP32},
        {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32}, {DType.INT8, DType.FP32}};

    static Stream<GemmCase> smallBlockCases() {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 1;
        for (DType[] pair : PAIRS) {
            boolean integerOutput = pair[1] == DType.INT32;
            for (long[] shape : new long[][] {{37, 53, 41}, {9, 101, 33}, {70, 3, 50}}) {
                for (int transposes = 0; transposes < 4; transposes++) {
                    GemmSpec minimal = GemmSpec.builder().m(shape[0]).n(shape[1]).k(shape[2])
                            .transA((transposes & 1) != 0).transB((transposes & 2) != 0)
                            .inputType(pair[0]).outputType(pair[1]).build();
                    boolean edges = transposes == 3;
                    // Edge fills put up to two near-FLT_MAX products in one sum, which overflows any FP32 accumulator
                    // unless alpha is 1 (the double reference would scale it back into range).
                    float alpha = edges ? 1f : integerOutput ? -3f : 0.7f;
                    GemmSpec spec = minimal.toBuilder().lda(minimal.lda() + 1).ldb(minimal.ldb() + 2).ldc(minimal.ldc() + 3)
                            .alpha(alpha).beta(transposes == 1 ? 0f : integerOutput ? 2f : 1.3f).build();
                    cases.add(new GemmCase(spec, edges ? Fill.EDGES : Fill.RANDOM, seed++));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "4x2: {0}")
    @MethodSource("smallBlockCases")
    void matchesTheReferenceAcrossManyBlocksWithTheFourByTwoKernel(GemmCase testCase) {
        try (Backend backend = backend(2, "4x2")) {
            assertPasses(backend, testCase);
        }
    }

    @ParameterizedTest(name = "4x3: {0}")
    @MethodSource("smallBlockCases")
    void matchesTheReferenceAcrossManyBlocksWithTheFourByThreeKernel(GemmCase testCase) {
        try (Backend backend = backend(3, "4x3")) {
            assertPasses(backend, testCase);
        }
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreadsAcrossManyBlocks() {
        for (DType[] pair : PAIRS) {
            boolean integerOutput = pair[1] == DType.INT32;
            GemmSpec spec = GemmSpec.builder().m(151).n(171).k(131).transB(true).inputType(pair[0]).outputType(pair[1])
                    .alpha(integerOutput ? 3f : 0.7f).beta(integerOutput ? -2f : 1.3f).build();
            double[] oneThread = run(1, spec);
            for (int threads : new int[] {2, 3}) {
                assertArrayEquals(oneThread, run(threads, spec), 0.0, pair[0] + "→" + pair[1] + " with " + threads + " threads");
            }
        }
    }

    @Test
    void longReductionsKeepFullPrecisionUntilTheOutputIsRounded() {
        long seed = 100;
        for (DType[] pair : PAIRS) {
            GemmSpec spec = GemmSpec.builder().m(5).n(19).k(20_011).transA(true).inputType(pair[0]).outputType(pair[1])
                    .alpha(pair[1] == DType.INT32 ? 1f : 0.5f).beta(pair[1] == DType.INT32 ? -1f : 0.25f).build();
            try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC)) {
                assertPasses(backend, new GemmCase(spec, Fill.SMALL_INTEGERS, seed++));
                assertPasses(backend, new GemmCase(spec, Fill.RANDOM, seed++));
            }
        }
    }

    @Test
    void outputsLargerThanOneWorkspaceBandAreNarrowedBandByBand() {
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC)) {
            // 4 Mi accumulator elements per band: three rows of 1.5 M columns take two row bands, one row of
            // 5 M columns two column bands.
            GemmSpec rowBands = GemmSpec.builder().m(3).n(1_500_000).k(5).inputType(DType.BF16).outputType(DType.BF16)
                    .alpha(0.5f).beta(2f).build();
            assertPasses(backend, new GemmCase(rowBands, Fill.RANDOM, 7));
            GemmSpec columnBands = GemmSpec.builder().m(1).n(5_000_000).k(3).transB(true).inputType(DType.INT8)
                    .outputType(DType.FP32).alpha(0.25f).build();
            assertPasses(backend, new GemmCase(columnBands, Fill.RANDOM, 8));
        }
    }

    private static double[] run(int threads, GemmSpec spec) {
        try (Backend backend = backend(threads, GemmConfig.AUTO);
             Tensor a = Tensor.allocateMatrix(spec.inputType(), spec.aRows(), spec.aCols(), spec.lda());
             Tensor b = Tensor.allocateMatrix(spec.inputType(), spec.bRows(), spec.bCols(), spec.ldb());
             Tensor c = Tensor.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc())) {
            Fill.RANDOM.fill(a, 21);
            Fill.RANDOM.fill(b, 22);
            Fill.RANDOM.fill(c, 23);
            backend.gemm(spec, a, b, c);
            return c.toDoubleArray();
        }
    }

    private static Backend backend(int threads, String kernel) {
        return new VectorCpuBackend(new BackendContext(threads), new GemmConfig(kernel, KC, MC, NC));
    }

    private static void assertPasses(Backend backend, GemmCase testCase) {
        CheckResult<GemmCase> result = GemmCheck.check(backend, testCase);
        assertTrue(result.passed(), () -> testCase.spec() + " " + testCase.fill() + ": " + result.summary());
    }
}
