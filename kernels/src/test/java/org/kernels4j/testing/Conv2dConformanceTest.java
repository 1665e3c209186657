package org.kernels4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Conv2dCheck;
import org.kernels4j.validate.Fill;

/**
 * The convolution test matrix every backend runs against the reference (extend it and implement
 * {@link #createBackend}). The factors — dtype pair, layout, H and W ∈ {1, 3, 7, 13}, R ∈ {1, 3, 7} and
 * S ∈ {1, 3, 5, 7}, strides 1–3, each of the four paddings 0–3, dilations 1–3, channel and group shapes (groups 1, 2,
 * depthwise, and a channel multiplier), bias on and off, batch 1 and 3, random, exact small-integer and edge fills —
 * are combined pairwise ({@link PairwiseCovering}): every two values of any two factors meet in some case, which keeps
 * the suite to about a hundred small cases instead of millions. Then fixed cases: 1×1 outputs, layer-like shapes
 * large enough to cross the tiles and blocks of optimized kernels, INT8 wraparound at 2^31, bitwise-identical results
 * for 1, 2 and 3 threads, and operands that do not fit the spec. {@link Conv2dCheck} also checks that inputs are
 * unchanged and that y is fully written, never read, and not overrun.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Conv2dConformanceTest {
    private static final DType[][] DTYPE_PAIRS = {
        {DType.FP32, DType.FP32}, {DType.FP16, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.FP32},
        {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32}, {DType.INT8, DType.FP32}};
    private static final int[] SIZES = {1, 3, 7, 13};
    private static final int[] FILTER_HEIGHTS = {1, 3, 7};
    private static final int[] FILTER_WIDTHS = {1, 3, 5, 7};
    private static final int[] STEPS = {1, 2, 3};
    private static final int[] PADDINGS = {0, 1, 2, 3};
    /** {C, K, groups}: plain, wide (beyond a vector), two groups, depthwise (narrow and wide), channel multiplier 2. */
    private static final int[][] CHANNELS = {{3, 5, 1}, {17, 19, 1}, {6, 4, 2}, {4, 4, 4}, {19, 19, 19}, {3, 6, 3}};
    private static final int[] BATCHES = {1, 3};
    private static final Fill[] FILLS = {Fill.RANDOM, Fill.SMALL_INTEGERS, Fill.EDGES};
    private static final long SEED = 20_250_505L;

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

    /** The factors in the order of {@link #pairwiseSpec}'s row. */
    private static final int[] FACTOR_SIZES = {DTYPE_PAIRS.length, 2, SIZES.length, SIZES.length, FILTER_HEIGHTS.length,
        FILTER_WIDTHS.length, STEPS.length, STEPS.length, PADDINGS.length, PADDINGS.length, PADDINGS.length, PADDINGS.length,
        STEPS.length, STEPS.length, CHANNELS.length, 2, BATCHES.length, FILLS.length};

    static Stream<Conv2dCase> pairwiseCases() {
        List<int[]> rows = PairwiseCovering.rows(FACTOR_SIZES, row -> {
            try {
                pairwiseSpec(row);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }, SEED);
        List<Conv2dCase> cases = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            int[] row = rows.get(i);
            cases.add(new Conv2dCase(pairwiseSpec(row), FILLS[row[17]], SEED + i));
        }
        return cases.stream();
    }

    private static Conv2dSpec pairwiseSpec(int[] row) {
        int[] channels = CHANNELS[row[14]];
        return Conv2dSpec.builder()
                .inputType(DTYPE_PAIRS[row[0]][0]).outputType(DTYPE_PAIRS[row[0]][1])
                .layout(Layout.values()[row[1]])
                .inputSize(SIZES[row[2]], SIZES[row[3]])
                .filterSize(FILTER_HEIGHTS[row[4]], FILTER_WIDTHS[row[5]])
                .stride(STEPS[row[6]], STEPS[row[7]])
                .padding(PADDINGS[row[8]], PADDINGS[row[9]], PADDINGS[row[10]], PADDINGS[row[11]])
                .dilation(STEPS[row[12]], STEPS[row[13]])
                .c(channels[0]).k(channels[1]).groups(channels[2])
                .bias(row[15] == 1)
                .n(BATCHES[row[16]])
                .build();
    }

    /**
     * Shapes each optimized path meets in real networks, at sizes that cross vector lengths, GEMM blocks and output
     * tiles: 1×1 convolutions (plain, strided, grouped), 3×3 and 7×7 with padding and stride, depthwise, and 1×1 outputs;
     * every dtype pair and both layouts.
     */
    static Stream<Conv2dCase> layerCases() {
        List<Conv2dSpec.Builder> shapes = List.of(
                Conv2dSpec.builder().n(2).c(70).k(33).inputSize(11, 13).filterSize(1, 1),
                Conv2dSpec.builder().n(1).c(40).k(36).inputSize(21, 22).filterSize(1, 1).stride(2),
                Conv2dSpec.builder().n(1).c(24).k(36).inputSize(9, 10).filterSize(1, 1).groups(3).bias(true),
                Conv2dSpec.builder().n(2).c(40).k(24).inputSize(13, 14).filterSize(3, 3).padding(1).bias(true),
                Conv2dSpec.builder().n(1).c(3).k(16).inputSize(29, 31).filterSize(7, 7).stride(2).padding(3),
                Conv2dSpec.builder().n(2).c(40).k(40).groups(40).inputSize(17, 18).filterSize(3, 3).stride(2).padding(1).bias(true),
                Conv2dSpec.builder().n(1).c(37).k(37).groups(37).inputSize(12, 31).filterSize(5, 3).padding(2, 1, 1, 0).dilation(2, 1),
                Conv2dSpec.builder().n(3).c(9).k(11).inputSize(7, 7).filterSize(7, 7).bias(true),
                Conv2dSpec.builder().n(1).c(5).k(4).inputSize(1, 1).filterSize(3, 3).padding(1),
                Conv2dSpec.builder().n(2).c(6).k(6).groups(6).inputSize(3, 3).filterSize(3, 3).stride(3));
        List<Conv2dCase> cases = new ArrayList<>();
        long seed = SEED + 10_000;
        int index = 0;
        for (Conv2dSpec.Builder shape : shapes) {
            for (DType[] pair : DTYPE_PAIRS) {
                Layout layout = Layout.values()[index % 2];
                Fill fill = index % 5 == 4 ? Fill.SMALL_INTEGERS : Fill.RANDOM;
                cases.add(new Conv2dCase(shape.layout(layout).inputType(pair[0]).outputType(pair[1]).build(), fill, seed++));
                index++;
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairwiseCases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void matchesReferenceOnPairwiseCombinations(Conv2dCase testCase) {
        assertPasses(backend, testCase);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void matchesReferenceOnLayerShapes(Conv2dCase testCase) {
        assertPasses(backend, testCase);
    }

    @Test
    void pairwiseCasesCoverEveryValueOfEveryFactor() {
        List<Conv2dCase> cases = pairwiseCases().toList();
        assertTrue(cases.stream().anyMatch(c -> c.spec().p() == 1 && c.spec().q() == 1), "some case has a 1×1 output");
        for (Layout layout : Layout.values()) {
            assertTrue(cases.stream().anyMatch(c -> c.spec().layout() == layout && c.spec().isDepthwise()), layout + " depthwise");
        }
        assertTrue(cases.size() < 200, cases.size() + " cases");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void int8AccumulationWrapsAtTwoToTheThirtyOne() {
        // 2^17 products of (−128)·(−128) = 2^14 sum to exactly 2^31, which wraps to −2^31 in INT32.
        assertEquals(Integer.MIN_VALUE, int8Sum(1 << 17, 1, 0));
        assertEquals(Integer.MIN_VALUE, int8Sum(1 << 15, 2, 0), "through a 2×2 filter");
        assertEquals(Integer.MIN_VALUE, int8Sum((1 << 17) - 1, 1, 1 << 14), "the bias joins the wrapping sum");
    }

    /** A 1-image INT8 convolution of all −128 over {@code channels} channels and a taps×taps filter, to a 1×1 output. */
    private int int8Sum(int channels, int taps, int bias) {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(channels).k(1).inputSize(taps, taps).filterSize(taps, taps)
                .inputType(DType.INT8).bias(bias != 0).layout(Layout.NHWC).build();
        byte[] minus128 = new byte[channels * taps * taps];
        Arrays.fill(minus128, (byte) -128);
        try (Tensor x = Tensor.fromBytes(minus128, spec.xShape()); Tensor w = Tensor.fromBytes(minus128, spec.wShape());
             Tensor b = bias != 0 ? Tensor.fromInts(new int[] {bias}, 1) : null; Tensor y = Tensor.allocate(DType.INT32, spec.yShape())) {
            backend.conv2d(spec, x, w, b, y);
            return y.toIntArray()[0];
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void resultsDoNotDependOnTheThreadCount() {
        List<Conv2dSpec.Builder> shapes = List.of(
                Conv2dSpec.builder().n(1).c(32).k(32).inputSize(16, 17).filterSize(3, 3).padding(1).bias(true),
                Conv2dSpec.builder().n(2).c(96).k(64).inputSize(14, 14).filterSize(1, 1),
                Conv2dSpec.builder().n(2).c(48).k(48).groups(48).inputSize(19, 20).filterSize(3, 3).padding(1).stride(2));
        for (DType[] pair : DTYPE_PAIRS) {
            for (Layout layout : Layout.values()) {
                for (Conv2dSpec.Builder shape : shapes) {
                    Conv2dSpec spec = shape.layout(layout).inputType(pair[0]).outputType(pair[1]).build();
                    double[] oneThread = run(1, spec);
                    for (int threads : new int[] {2, 3}) {
                        assertArrayEquals(oneThread, run(threads, spec), 0.0, spec + " with " + threads + " threads");
                    }
                }
            }
        }
    }

    private double[] run(int threads, Conv2dSpec spec) {
        try (Backend b = createBackend(threads);
             Tensor x = Tensor.allocate(spec.inputType(), spec.xShape());
             Tensor w = Tensor.allocate(spec.inputType(), spec.wShape());
             Tensor bias = spec.hasBias() ? Tensor.allocate(spec.biasType(), spec.biasShape()) : null;
             Tensor y = Tensor.allocate(spec.outputType(), spec.yShape())) {
            Fill.RANDOM.fill(x, 11);
            Fill.RANDOM.fill(w, 12);
            if (bias != null) {
                Fill.RANDOM.fill(bias, 13);
            }
            b.conv2d(spec, x, w, bias, y);
            return y.toDoubleArray();
        }
    }

    @Test
    void rejectsOperandsThatDoNotMatchTheSpec() {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(4).k(6).inputSize(5, 5).filterSize(3, 3).groups(2).bias(true).build();
        try (Tensor x = Tensor.allocate(DType.FP32, spec.xShape()); Tensor w = Tensor.allocate(DType.FP32, 6, 4, 3, 3);
             Tensor bias = Tensor.allocate(DType.FP32, spec.biasShape()); Tensor y = Tensor.allocate(DType.FP32, spec.yShape())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.conv2d(spec, x, w, bias, y));
            assertEquals("w.shape: [6, 4, 3, 3] but the spec needs [6, 2, 3, 3]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.conv2d(spec, x, x, bias, y));
            assertTrue(e.getMessage().startsWith("w.shape: [1, 4, 5, 5]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.conv2d(spec, x, x, null, y));
            assertTrue(e.getMessage().startsWith("w.shape"), e.getMessage());
        }
    }

    private static void assertPasses(Backend backend, Conv2dCase testCase) {
        assertTrue(backend.supports(testCase.spec()).available(),
                () -> backend.name() + " does not support " + testCase.spec() + ": " + backend.supports(testCase.spec()).reason());
        CheckResult<Conv2dCase> result = Conv2dCheck.check(backend, testCase);
        assertTrue(result.passed(), () -> backend.name() + " " + testCase + ": " + result.summary());
    }
}
