package org.kernels4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;

/**
 * The GEMM test matrix every backend runs against the reference (extend it and implement
 * {@link #createBackend}): every dtype pair, sizes 0, 1, 7, 17, 33, 127, 257 in each of m, n, k, all
 * transposes, alpha ∈ {0, 1, 0.7}, beta ∈ {0, 1, 1.3}, leading dimensions beyond the minimum with rogue
 * padding, random, exact small-integer and edge fills, NaN in C with beta = 0 (GemmCheck fills C with NaN
 * then), INT8 wraparound at 2^31, and results independent of the thread count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GemmConformanceTest {
    private static final int[] SIZES = {1, 7, 17, 33, 127, 257};
    private static final boolean[] NO_YES = {false, true};

    private Backend backend;

    /** The backend under test, with {@code threads} CPU threads where that applies. */
    protected abstract Backend createBackend(int threads);

    /** Name used in {@code K4J_REQUIRE} to make an unavailable backend fail instead of skip. */
    protected abstract String component();

    @BeforeAll
    void openBackend() {
        backend = createBackend(2);
        Requirements.assumeAvailable(component(), backend.availability());
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static Stream<Arguments> dtypePairs() {
        return Stream.of(
                Arguments.of(DType.FP32, DType.FP32), Arguments.of(DType.FP16, DType.FP32),
                Arguments.of(DType.FP16, DType.FP16), Arguments.of(DType.BF16, DType.FP32),
                Arguments.of(DType.BF16, DType.BF16), Arguments.of(DType.INT8, DType.INT32),
                Arguments.of(DType.INT8, DType.FP32));
    }

    static Stream<GemmCase> shapesAndTransposes() {
        List<GemmCase> cases = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (int s : SIZES) {
            shapes.add(new long[] {s, s, s});
        }
        shapes.add(new long[] {1, 257, 7});
        shapes.add(new long[] {257, 1, 33});
        shapes.add(new long[] {7, 17, 127});
        shapes.add(new long[] {33, 127, 1});
        shapes.add(new long[] {127, 7, 257});
        shapes.add(new long[] {17, 33, 17});
        // Matrix-vector products and a few vectors (m or n ≤ 8) over a long reduction, which backends may run unpacked.
        shapes.add(new long[] {1, 127, 257});
        shapes.add(new long[] {127, 1, 257});
        shapes.add(new long[] {8, 33, 127});
        shapes.add(new long[] {257, 3, 17});
        long seed = 1;
        for (DTypes types : DTypes.all()) {
            for (long[] shape : shapes) {
                for (boolean ta : NO_YES) {
                    for (boolean tb : NO_YES) {
                        GemmSpec spec = types.spec(shape[0], shape[1], shape[2], ta, tb).alpha(types.alpha(0.7f)).beta(types.beta(1.3f)).build();
                        cases.add(new GemmCase(spec, Fill.RANDOM, seed++));
                    }
                }
            }
        }
        return cases.stream();
    }

    static Stream<GemmCase> alphaBetaGrid() {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 1000;
        for (DTypes types : DTypes.all()) {
            for (float alpha : new float[] {0f, 1f, 0.7f}) {
                for (float beta : new float[] {0f, 1f, 1.3f}) {
                    for (boolean ta : NO_YES) {
                        GemmSpec spec = types.spec(17, 33, 7, ta, !ta).alpha(types.alpha(alpha)).beta(types.beta(beta)).build();
                        cases.add(new GemmCase(spec, Fill.RANDOM, seed++));
                    }
                }
            }
        }
        return cases.stream();
    }

    static Stream<GemmCase> zeroSizes() {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 2000;
        for (DTypes types : DTypes.all()) {
            for (long[] shape : new long[][] {{0, 7, 5}, {7, 0, 5}, {7, 5, 0}, {0, 0, 0}}) {
                for (float beta : new float[] {0f, 1.3f}) {
                    GemmSpec spec = types.spec(shape[0], shape[1], shape[2], false, true).alpha(types.alpha(0.7f)).beta(types.beta(beta)).build();
                    cases.add(new GemmCase(spec, Fill.RANDOM, seed++));
                }
            }
        }
        return cases.stream();
    }

    static Stream<GemmCase> paddedLeadingDimensions() {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 3000;
        for (DTypes types : DTypes.all()) {
            for (boolean ta : NO_YES) {
                for (boolean tb : NO_YES) {
                    GemmSpec min = types.spec(33, 17, 127, ta, tb).build();
                    GemmSpec spec = min.toBuilder().lda(min.lda() + 3).ldb(min.ldb() + 5).ldc(min.ldc() + 7)
                            .alpha(types.alpha(0.7f)).beta(types.beta(1.3f)).build();
                    cases.add(new GemmCase(spec, Fill.RANDOM, seed++));
                }
            }
        }
        return cases.stream();
    }

    static Stream<GemmCase> specialFills() {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 4000;
        for (DTypes types : DTypes.all()) {
            for (boolean ta : NO_YES) {
                cases.add(new GemmCase(types.spec(33, 40, 33, ta, ta).beta(types.beta(1.3f)).build(), Fill.EDGES, seed++));
                cases.add(new GemmCase(types.spec(17, 9, 64, !ta, ta).alpha(types.alpha(0.7f)).build(), Fill.EDGES, seed++));
                cases.add(new GemmCase(types.spec(127, 65, 257, ta, !ta).alpha(types.alpha(2f)).beta(types.beta(-1f)).build(),
                        Fill.SMALL_INTEGERS, seed++));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapesAndTransposes")
    void matchesReferenceOnShapesAndTransposes(GemmCase testCase) {
        assertPasses(backend, testCase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alphaBetaGrid")
    void followsBlasRulesForAlphaAndBeta(GemmCase testCase) {
        assertPasses(backend, testCase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zeroSizes")
    void handlesZeroSizes(GemmCase testCase) {
        assertPasses(backend, testCase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paddedLeadingDimensions")
    void leavesPaddingUntouched(GemmCase testCase) {
        assertPasses(backend, testCase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specialFills")
    void handlesEdgeValuesAndIsExactOnSmallIntegers(GemmCase testCase) {
        assertPasses(backend, testCase);
    }

    @Test
    void int8AccumulationWrapsAtTwoToTheThirtyOne() {
        // 2^17 products of (−128)·(−128) = 2^14 sum to exactly 2^31, which wraps to −2^31 in INT32.
        assertEquals(Integer.MIN_VALUE, int8DotProduct(1 << 17));
        assertEquals(Integer.MAX_VALUE - (1 << 14) + 1, int8DotProduct((1 << 17) - 1));
    }

    private int int8DotProduct(int k) {
        byte[] values = new byte[k];
        java.util.Arrays.fill(values, (byte) -128);
        try (Tensor a = Tensor.fromBytes(values, 1, k); Tensor b = Tensor.fromBytes(values, k, 1);
             Tensor c = Tensor.allocate(DType.INT32, 1, 1)) {
            backend.gemm(GemmSpec.of(a, b), a, b, c);
            return c.toIntArray()[0];
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        for (DTypes types : DTypes.all()) {
            for (long[] shape : new long[][] {{129, 95, 300}, {1, 300, 129}, {300, 5, 129}}) {
                GemmSpec spec = types.spec(shape[0], shape[1], shape[2], false, true).alpha(types.alpha(0.7f)).beta(types.beta(1.3f)).build();
                double[] oneThread = run(1, spec);
                for (int threads : new int[] {2, 3}) {
                    assertArrayEquals(oneThread, run(threads, spec), 0.0, types + " " + spec + " with " + threads + " threads");
                }
            }
        }
    }

    private double[] run(int threads, GemmSpec spec) {
        try (Backend b = createBackend(threads);
             Tensor a = Tensor.allocateMatrix(spec.inputType(), spec.aRows(), spec.aCols(), spec.lda());
             Tensor bm = Tensor.allocateMatrix(spec.inputType(), spec.bRows(), spec.bCols(), spec.ldb());
             Tensor c = Tensor.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc())) {
            Fill.RANDOM.fill(a, 11);
            Fill.RANDOM.fill(bm, 12);
            Fill.RANDOM.fill(c, 13);
            b.gemm(spec, a, bm, c);
            return c.toDoubleArray();
        }
    }

    @Test
    void rejectsOperandsThatDoNotMatchTheSpec() {
        GemmSpec spec = GemmSpec.builder().m(3).n(4).k(5).build();
        try (Tensor a = Tensor.allocate(DType.FP32, 3, 5); Tensor b = Tensor.allocate(DType.FP32, 4, 5);
             Tensor c = Tensor.allocate(DType.FP32, 3, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.gemm(spec, a, b, c));
            assertTrue(e.getMessage().startsWith("b.shape: [4, 5]"), e.getMessage());
        }
    }

    private static void assertPasses(Backend backend, GemmCase testCase) {
        assertTrue(backend.supports(testCase.spec()).available(), () -> backend.name() + " does not support " + testCase.spec());
        CheckResult<GemmCase> result = GemmCheck.check(backend, testCase);
        assertTrue(result.passed(), () -> backend.name() + " " + testCase.spec() + " " + testCase.fill() + ": " + result.summary());
    }

    /** An input/output dtype pair; INT32 outputs need integer alpha and beta, so other values are mapped. */
    record DTypes(DType input, DType output) {
        static List<DTypes> all() {
            return dtypePairs().map(a -> new DTypes((DType) a.get()[0], (DType) a.get()[1])).toList();
        }

        GemmSpec.Builder spec(long m, long n, long k, boolean ta, boolean tb) {
            return GemmSpec.builder().m(m).n(n).k(k).transA(ta).transB(tb).inputType(input).outputType(output);
        }

        float alpha(float value) {
            return integral(value, 3f);
        }

        float beta(float value) {
            return integral(value, -2f);
        }

        private float integral(float value, float replacement) {
            return output == DType.INT32 && value != Math.rint(value) ? replacement : value;
        }

        @Override
        public String toString() {
            return input + "→" + output;
        }
    }
}
