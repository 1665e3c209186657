package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Conv2dCases;
import org.kernels4j.testing.Requirements;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Conv2dCheck;

/**
 * The tensor-core convolution against the reference, on shapes chosen for its edges: partial pixel and filter
 * tiles, reductions that end inside a pipeline stage, taps in the padding (some entirely), stride, dilation, groups,
 * bias, every FP16/BF16/INT8 dtype pair, NHWC as it is and NCHW through the layout transforms. The shared
 * conformance matrix mostly has channel counts the kernel does not take. The routing check runs without a GPU; the differential cases skip with the reason where there is none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaConvTensorCoreTest {
    private static final long SEED = 20_261_125L;
    private static final DType[][] PAIRS = {{DType.FP16, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.FP32},
        {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32}, {DType.INT8, DType.FP32}};

    private Backend backend;

    @BeforeAll
    void openBackend() {
        backend = new CudaBackendProvider().create(new BackendContext(2));
    }

    @AfterAll
    void closeBackend() {
        backend.close();
    }

    static Stream<Conv2dCase> cases() {
        List<Conv2dSpec.Builder> shapes = List.of(
                Conv2dSpec.builder().n(2).c(16).k(24).inputSize(9, 11).filterSize(3, 3).padding(1),
                Conv2dSpec.builder().n(1).c(64).k(136).inputSize(15, 15).filterSize(3, 3).stride(2).padding(1, 0, 2, 1)
                        .dilation(2, 1).bias(true),
                Conv2dSpec.builder().n(3).c(32).k(200).inputSize(20, 20).filterSize(1, 1),
                Conv2dSpec.builder().n(2).c(64).k(48).inputSize(7, 9).filterSize(3, 3).padding(1).groups(2).bias(true),
                Conv2dSpec.builder().n(1).c(16).k(8).inputSize(23, 21).filterSize(7, 7).stride(2).padding(3),
                Conv2dSpec.builder().n(2).c(48).k(5).inputSize(2, 2).filterSize(5, 5).padding(3).bias(true),
                Conv2dSpec.builder().n(1).c(96).k(129).inputSize(6, 5).filterSize(2, 3).stride(3, 1).groups(3));
        return Conv2dCases.everyPairAndLayout(shapes, PAIRS, SEED).stream();
    }

    @Test
    void everyCaseRunsOnTensorCores() {
        cases().forEach(c -> assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, CudaConvPlan.algorithm(c.spec()),
                c::toString));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void matchesTheReference(Conv2dCase testCase) {
        Requirements.assumeAvailable(CudaBackendProvider.NAME, backend.availability());
        CheckResult<Conv2dCase> result = Conv2dCheck.check(backend, testCase);
        assertTrue(result.passed(), () -> testCase + ": " + result.summary());
    }
}
