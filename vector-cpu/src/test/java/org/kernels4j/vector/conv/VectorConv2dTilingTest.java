package org.kernels4j.vector.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.testing.Conv2dCases;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Conv2dCheck;
import org.kernels4j.validate.Fill;
import org.kernels4j.vector.CpuInfo;
import org.kernels4j.vector.WorkerPool;
import org.kernels4j.vector.gemm.GemmConfig;
import org.kernels4j.vector.gemm.VectorGemm;

/**
 * What the shared matrix cannot reach with the default scratch bound: a scratch of a few hundred elements, so that
 * small convolutions split into many tiles whose edges fall inside output rows and (NHWC) across images, with GEMM
 * blocks far smaller than the matrices; workspaces for narrow outputs in tiles; many small jobs side by side and
 * large jobs one after another, with bit-identical results for any thread count; and the choice of kernel.
 */
class VectorConv2dTilingTest {
    private static final int SCRATCH = 300;
    private static final GemmConfig SMALL_BLOCKS = new GemmConfig(GemmConfig.AUTO, 16, 8, 40);
    private static final DType[][] PAIRS = {
        {DType.FP32, DType.FP32}, {DType.FP16, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.FP32},
        {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32}, {DType.INT8, DType.FP32}};

    static Stream<Conv2dCase> smallScratchCases() {
        List<Conv2dSpec.Builder> shapes = List.of(
                Conv2dSpec.builder().n(3).c(5).k(7).inputSize(6, 7).filterSize(3, 3).padding(1, 2, 0, 1).stride(1, 2).bias(true),
                Conv2dSpec.builder().n(2).c(9).k(12).inputSize(5, 9).filterSize(2, 3).dilation(2, 1).groups(3),
                Conv2dSpec.builder().n(2).c(33).k(20).inputSize(7, 5).filterSize(1, 1).bias(true),
                Conv2dSpec.builder().n(2).c(6).k(6).groups(6).inputSize(8, 9).filterSize(3, 3).padding(1).bias(true));
        return Conv2dCases.everyPairAndLayout(shapes, PAIRS, 77).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallScratchCases")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void matchesReferenceWithTinyTilesAndBlocks(Conv2dCase testCase) {
        try (ConvOnly backend = new ConvOnly(2, SCRATCH)) {
            CheckResult<Conv2dCase> result = Conv2dCheck.check(backend, testCase);
            assertTrue(result.passed(), () -> testCase + ": " + result.summary());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tilingAndThreadCountDoNotChangeAnyBit() {
        List<Conv2dSpec.Builder> shapes = List.of(
                Conv2dSpec.builder().n(2).c(8).k(6).inputSize(9, 11).filterSize(3, 3).padding(1).bias(true),
                Conv2dSpec.builder().n(1).c(12).k(12).groups(4).inputSize(13, 12).filterSize(3, 2).stride(2, 1).bias(true),
                Conv2dSpec.builder().n(2).c(64).k(48).inputSize(20, 20).filterSize(3, 3).padding(1),
                Conv2dSpec.builder().n(1).c(16).k(16).groups(16).inputSize(15, 33).filterSize(3, 3).stride(2).padding(1));
        for (DType[] pair : PAIRS) {
            for (Layout layout : Layout.values()) {
                for (Conv2dSpec.Builder shape : shapes) {
                    Conv2dSpec spec = shape.layout(layout).inputType(pair[0]).outputType(pair[1]).build();
                    double[] expected = run(spec, 1, VectorConv2d.DEFAULT_SCRATCH_ELEMENTS);
                    assertArrayEquals(expected, run(spec, 3, VectorConv2d.DEFAULT_SCRATCH_ELEMENTS), 0.0, spec + ", 3 threads");
                    if (!VectorConv2d.kernelFor(spec).equals("im2col GEMM")) {
                        continue;
                    }
                    // Tiles split the reduction never, only the pixels: every element gets the same sum.
                    assertArrayEquals(expected, run(spec, 2, SCRATCH), 0.0, spec + ", small tiles");
                }
            }
        }
    }

    private static double[] run(Conv2dSpec spec, int threads, int scratch) {
        try (ConvOnly backend = new ConvOnly(threads, scratch);
             Tensor x = Tensor.allocate(spec.inputType(), spec.xShape());
             Tensor w = Tensor.allocate(spec.inputType(), spec.wShape());
             Tensor bias = spec.hasBias() ? Tensor.allocate(spec.biasType(), spec.biasShape()) : null;
             Tensor y = Tensor.allocate(spec.outputType(), spec.yShape())) {
            Fill.RANDOM.fill(x, 1);
            Fill.RANDOM.fill(w, 2);
            if (bias != null) {
                Fill.RANDOM.fill(bias, 3);
            }
            backend.conv2d(spec, x, w, bias, y);
            return y.toDoubleArray();
        }
    }

    @Test
    void choosesTheKernelByShape() {
        Conv2dSpec.Builder base = Conv2dSpec.builder().n(1).c(8).k(8).inputSize(9, 9);
        assertEquals("pointwise GEMM", VectorConv2d.kernelFor(base.filterSize(1, 1).build()));
        assertEquals("pointwise GEMM", VectorConv2d.kernelFor(base.filterSize(1, 1).groups(2).build()));
        assertEquals("im2col GEMM", VectorConv2d.kernelFor(base.filterSize(1, 1).groups(1).stride(2).build()));
        assertEquals("im2col GEMM", VectorConv2d.kernelFor(base.filterSize(1, 1).stride(1).padding(0, 0, 1, 0).build()));
        assertEquals("im2col GEMM", VectorConv2d.kernelFor(base.filterSize(3, 3).padding(0).build()));
        assertEquals("depthwise", VectorConv2d.kernelFor(base.groups(8).build()));
        assertEquals("depthwise", VectorConv2d.kernelFor(base.groups(8).inputType(DType.BF16).build()));
        assertEquals("im2col GEMM", VectorConv2d.kernelFor(base.groups(8).inputType(DType.INT8).outputType(null).build()),
                "INT8 stays on the integer GEMM");
        assertEquals("im2col GEMM", VectorConv2d.kernelFor(base.groups(8).k(16).inputType(DType.FP32).build()),
                "a channel multiplier is a grouped GEMM");
    }

    @Test
    void refusesABadScratchBound() {
        try (WorkerPool pool = new WorkerPool(1, "test")) {
            VectorGemm gemm = new VectorGemm(pool, CpuInfo.detect(), GemmConfig.AUTOMATIC);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VectorConv2d(pool, gemm, 0));
            assertEquals("scratchElements: 0 is less than 1", e.getMessage());
        }
    }

    /** A backend that runs {@link VectorConv2d} with a chosen scratch bound and small GEMM blocks. */
    private static final class ConvOnly implements Backend {
        private final WorkerPool pool;
        private final VectorConv2d conv;
        private final Device device = new Device("vector-conv", "test", Device.Kind.CPU, Set.of(), Availability.yes());

        ConvOnly(int threads, int scratch) {
            pool = new WorkerPool(threads, "conv-test");
            conv = new VectorConv2d(pool, new VectorGemm(pool, CpuInfo.detect(), SMALL_BLOCKS), scratch);
        }

        @Override
        public Device device() {
            return device;
        }

        @Override
        public Availability supports(GemmSpec spec) {
            return Availability.no("conv2d only");
        }

        @Override
        public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
            throw new UnsupportedOperationException("conv2d only");
        }

        @Override
        public Availability supports(Conv2dSpec spec) {
            return Availability.yes();
        }

        @Override
        public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
            conv.conv2d(spec, x, w, bias, y);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
