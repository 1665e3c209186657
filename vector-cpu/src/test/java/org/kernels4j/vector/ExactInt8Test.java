package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.vector.gemm.GemmConfig;

/**
 * INT8 runs through the FP32 kernel, exact only because no slice is deeper than 1024 products of at most 2^14: these
 * cases put 2^24 into one slice's sum, or odd products past it, so that a deeper slice would round, and check the bits
 * against plain integer arithmetic (GEMM) or the reference backend (convolution).
 */
@Timeout(120)
class ExactInt8Test {
    private static final int M = 6;
    /** More than one kernel tile (16 or 24 columns) wide, with a tail the tile writer stores element by element. */
    private static final int N = 19;

    static Stream<Arguments> depthsAndTransposes() {
        List<Arguments> cases = new ArrayList<>();
        for (int k : new int[] {1024, 1025, 2048, 3000}) {
            for (int transposes = 0; transposes < 4; transposes++) {
                cases.add(Arguments.of(k, (transposes & 1) != 0, (transposes & 2) != 0));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "k = {0}, transA = {1}, transB = {2}")
    @MethodSource("depthsAndTransposes")
    void sumsThatFillAWholeSliceAreExact(int k, boolean transA, boolean transB) {
        GemmSpec spec = GemmSpec.builder().m(M).n(N).k(k).transA(transA).transB(transB)
                .inputType(DType.INT8).outputType(DType.INT32).build();
        try (Backend backend = new VectorCpuBackend(new BackendContext(1), GemmConfig.AUTOMATIC)) {
            assertGemmExact(backend, spec, k);
        }
    }

    /** B transposed takes the packed path, B as stored the row updates that stream it in place. */
    @ParameterizedTest(name = "transB = {0}")
    @ValueSource(booleans = {true, false})
    void alphaAndBetaWrapModuloTwoToThe32(boolean transB) {
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC)) {
            GemmSpec base = GemmSpec.builder().m(M).n(N).k(3000).transB(transB).inputType(DType.INT8).outputType(DType.INT32).build();
            assertGemmExact(backend, base.toBuilder().alpha(1 << 30).beta(-3f).build(), 1);
            assertGemmExact(backend, base.toBuilder().alpha(0x1p31f).beta(-0x1p31f).build(), 2);
            assertGemmExact(backend, base.toBuilder().alpha(-7f).beta(1 << 29).build(), 3);
        }
    }

    /** Short sides (m or n up to 64) whose partner is streamed in place, across slices, blocks and both threads. */
    @ParameterizedTest(name = "m = {0}, n = {1}, transA = {2}")
    @CsvSource({"6, 300, false", "64, 131, false", "70, 5, true", "237, 33, true"})
    void shortSidesStreamedInPlaceAreExact(int m, int n, boolean transA) {
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC)) {
            GemmSpec spec = GemmSpec.builder().m(m).n(n).k(2100).transA(transA).inputType(DType.INT8).outputType(DType.INT32)
                    .alpha(3f).beta(-2f).build();
            assertGemmExact(backend, spec, m + n);
        }
    }

    @Test
    void aConfiguredSliceDeeperThanExactSumsAllowIsCappedForInt8() {
        try (Backend backend = new VectorCpuBackend(new BackendContext(2), new GemmConfig(GemmConfig.AUTO, 4096, 0, 0))) {
            for (boolean transA : new boolean[] {false, true}) {
                GemmSpec spec = GemmSpec.builder().m(M).n(N).k(4096).transA(transA).inputType(DType.INT8)
                        .outputType(DType.INT32).alpha(3f).beta(-1f).build();
                assertGemmExact(backend, spec, 4);
            }
        }
    }

    @Test
    void convolutionsWithMoreThan1024ProductsPerOutputMatchTheReference() {
        try (Backend vector = new VectorCpuBackend(new BackendContext(2), GemmConfig.AUTOMATIC);
             Backend reference = new ReferenceBackend()) {
            for (Layout layout : Layout.values()) {
                // 128 channels × 3 × 3 = 1152 products per output.
                Conv2dSpec spec = Conv2dSpec.builder().layout(layout).n(1).c(128).h(6).w(6).k(N).r(3).s(3).padding(1)
                        .inputType(DType.INT8).outputType(DType.INT32).build();
                try (Tensor x = Tensor.allocate(DType.INT8, spec.xShape());
                     Tensor w = Tensor.allocate(DType.INT8, spec.wShape());
                     Tensor expected = Tensor.allocate(DType.INT32, spec.yShape());
                     Tensor actual = Tensor.allocate(DType.INT32, spec.yShape())) {
                    fillConvOperands(spec, x, w);
                    reference.conv2d(spec, x, w, null, expected);
                    vector.conv2d(spec, x, w, null, actual);
                    assertArrayEquals(expected.toIntArray(), actual.toIntArray(), layout.toString());
                }
            }
        }
    }

    /**
     * Runs {@code spec} with operands whose sums reach 2^24 within the first 1024 products and then add odd products,
     * and checks C against {@code alpha·Σ + beta·C} in wrapping int arithmetic.
     */
    private static void assertGemmExact(Backend backend, GemmSpec spec, long seed) {
        int m = (int) spec.m();
        int n = (int) spec.n();
        int k = (int) spec.k();
        byte[][] left = new byte[m][k];
        byte[][] right = new byte[n][k];
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < k; p++) {
            // Line 0: −128 throughout, 2^24 after 1024 products. Line 1: −128 then 127, so 2^24 then odd products
            // (127·127). Line 2 of A: 127 throughout, −16256 per product against B's line 0. The rest: −128 or 127.
            left[0][p] = -128;
            right[0][p] = -128;
            left[1][p] = (byte) (p < 1024 ? -128 : 127);
            right[1][p] = (byte) (p < 1024 ? -128 : 127);
            left[2][p] = 127;
            for (int i = 3; i < m; i++) {
                left[i][p] = extreme(random);
            }
            for (int j = 2; j < n; j++) {
                right[j][p] = extreme(random);
            }
        }
        byte[] a = new byte[m * k];
        byte[] b = new byte[k * n];
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                a[spec.transA() ? p * m + i : i * k + p] = left[i][p];
            }
            for (int j = 0; j < n; j++) {
                b[spec.transB() ? j * k + p : p * n + j] = right[j][p];
            }
        }
        int[] c = random.ints(m * n).toArray();
        int alpha = (int) (long) spec.alpha();
        int beta = (int) (long) spec.beta();
        int[] expected = new int[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += left[i][p] * right[j][p];
                }
                expected[i * n + j] = alpha * (int) sum + beta * c[i * n + j];
            }
        }
        try (Tensor ta = Tensor.fromBytes(a, spec.aRows(), spec.aCols());
             Tensor tb = Tensor.fromBytes(b, spec.bRows(), spec.bCols());
             Tensor tc = Tensor.fromInts(c, m, n)) {
            backend.gemm(spec, ta, tb, tc);
            assertArrayEquals(expected, tc.toIntArray(), spec::toString);
        }
    }

    private static byte extreme(SplittableRandom random) {
        return (byte) (random.nextBoolean() ? -128 : 127);
    }

    /**
     * Every input pixel −128 in channels below 64 and 127 above; filter 0 the same, so that each of its 1152 products
     * is positive (16384 or the odd 16129) and the sum passes 2^24 within the last tap; the other filters −128 or 127
     * at random.
     */
    private static void fillConvOperands(Conv2dSpec spec, Tensor x, Tensor w) {
        boolean nhwc = spec.layout() == Layout.NHWC;
        long channels = spec.c();
        long pixels = spec.h() * spec.w();
        long taps = spec.r() * spec.s();
        long perFilter = channels * taps;
        for (long i = 0; i < spec.n() * channels * pixels; i++) {
            long channel = nhwc ? i % channels : i / pixels % channels;
            x.segment().set(ValueLayout.JAVA_BYTE, i, (byte) (channel < 64 ? -128 : 127));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (long i = 0; i < spec.k() * perFilter; i++) {
            long channel = nhwc ? i % channels : i / taps % channels;
            byte value = i < perFilter ? (byte) (channel < 64 ? -128 : 127) : extreme(random);
            w.segment().set(ValueLayout.JAVA_BYTE, i, value);
        }
    }
}
