package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/** Kernel choice, ConvShape argument and grid of the CUDA convolution, without a GPU. */
class CudaConvPlanTest {
    @Test
    void aHalfPrecisionNhwcResnetLayerRunsOnTensorCoresOverPixelsByFilters() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(8).c(64).inputSize(56, 56).k(136).filterSize(3, 3)
                .stride(2).padding(1, 1, 1, 1).inputType(DType.FP16).build();
        CudaConvPlan plan = CudaConvPlan.of(spec);
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, CudaConvPlan.algorithm(spec));
        assertEquals("k4j_conv2d_tc_nhwc_fp16_fp32", plan.kernel());
        assertArrayEquals(new int[] {8, 64, 56, 56, 136, 3, 3, 28, 28, 2, 2, 1, 1, 1, 1, 1}, plan.geometry());
        assertEquals(new CudaLaunch((8 * 28 * 28 + 127) / 128, 2, 1, 256, 1, 61440), plan.launch(),
                "136 filters need a second, partial column tile; the pipeline's shared memory is dynamic");
    }

    @Test
    void tensorCoresTakeNhwcHalfAndInt8InputsWhoseGroupChannelsFillWhole16ByteChunks() {
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, algorithm(Layout.NHWC, DType.BF16, 8, 8, 1));
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, algorithm(Layout.NHWC, DType.INT8, 16, 5, 1));
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, algorithm(Layout.NHWC, DType.FP16, 64, 6, 2),
                "two groups of 32 channels: 64 bytes each");
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, algorithm(Layout.NHWC, DType.INT8, 8, 8, 1), "8 bytes");
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, algorithm(Layout.NHWC, DType.FP16, 3, 64, 1),
                "an RGB first layer");
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, algorithm(Layout.NHWC, DType.FP16, 32, 32, 8),
                "8 groups of 4 channels: 8 bytes each");
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, algorithm(Layout.NHWC, DType.FP32, 64, 64, 1));
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES, algorithm(Layout.NCHW, DType.FP16, 64, 64, 1),
                "through layout transforms");
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, algorithm(Layout.NCHW, DType.FP16, 3, 64, 1));
        assertEquals(CudaConvPlan.Algorithm.DEPTHWISE, algorithm(Layout.NHWC, DType.INT8, 32, 32, 32));
    }

    @Test
    void theTensorCoreKernelMatchesTheDtypePairAndKeepsGroupsOnTheGridsZ() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(1).c(96).inputSize(5, 5).k(6).filterSize(1, 1)
                .groups(3).bias(true).inputType(DType.INT8).outputType(DType.FP32).build();
        CudaConvPlan plan = CudaConvPlan.of(spec);
        assertEquals("k4j_conv2d_tc_nhwc_int8_fp32", plan.kernel());
        assertEquals(new CudaLaunch(1, 1, 3, 256, 1, CudaGemmPlan.TC_SHARED_BYTES), plan.launch());
    }

    @Test
    void nhwcTensorCorePlansReadTheTensorsAsTheyAre() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(2).c(32).inputSize(8, 8).k(16).filterSize(3, 3)
                .inputType(DType.FP16).build();
        assertNull(CudaConvPlan.of(spec).transforms());
    }

    @Test
    void nchwTensorCorePlansTransposeXAndWInAndYOut() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NCHW).n(3).c(64).inputSize(40, 50).k(48).filterSize(3, 5)
                .padding(1).groups(2).inputType(DType.BF16).outputType(DType.FP32).build();
        CudaConvPlan plan = CudaConvPlan.of(spec);
        assertEquals("k4j_conv2d_tc_nhwc_bf16_fp32", plan.kernel());
        CudaConvPlan.LayoutTransforms transforms = plan.transforms();
        // x: 3 images of 64 channels × 2000 pixels; w: 48 filters of 32 channels × 15 taps; y: 3 × (40·48 pixels × 48).
        assertEquals(new CudaConvPlan.Transpose("k4j_transpose_batched_b16", 64, 2000,
                new CudaLaunch(2 * 63, 3, 1, 32, 8, 0)), transforms.input());
        assertEquals(new CudaConvPlan.Transpose("k4j_transpose_batched_b16", 32, 15,
                new CudaLaunch(1, 48, 1, 32, 8, 0)), transforms.weights());
        assertEquals(new CudaConvPlan.Transpose("k4j_transpose_batched_b32", spec.p() * spec.q(), 48,
                new CudaLaunch((int) ((spec.p() * spec.q() + 31) / 32 * 2), 3, 1, 32, 8, 0)), transforms.output());
    }

    @Test
    void nchwBatchesBeyondTheGridsYStayOnTheSimtKernel() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NCHW).n(70_000).c(16).inputSize(1, 1).k(8).filterSize(1, 1)
                .inputType(DType.FP16).build();
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_SIMT, CudaConvPlan.algorithm(spec));
        assertEquals(CudaConvPlan.Algorithm.IMPLICIT_GEMM_TENSOR_CORES,
                CudaConvPlan.algorithm(spec.toBuilder().layout(Layout.NHWC).build()));
    }

    private static CudaConvPlan.Algorithm algorithm(Layout layout, DType input, int c, int k, int groups) {
        return CudaConvPlan.algorithm(Conv2dSpec.builder().layout(layout).n(1).c(c).inputSize(4, 4).k(k).filterSize(3, 3)
                .padding(1).groups(groups).inputType(input).build());
    }

    @Test
    void groupsAreTheGridsZAndAsymmetricPaddingPassesTopAndLeft() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NCHW).n(1).c(8).inputSize(9, 10).k(300).filterSize(2, 3)
                .padding(0, 1, 2, 0).dilation(2, 1).groups(4).bias(true).inputType(DType.INT8).build();
        CudaConvPlan plan = CudaConvPlan.of(spec);
        assertEquals("k4j_conv2d_igemm_nchw_int8_int32", plan.kernel());
        int[] g = plan.geometry();
        assertEquals(0, g[11], "padTop");
        assertEquals(2, g[12], "padLeft");
        assertEquals(2, g[13], "dilationH");
        assertEquals(4, g[15], "groups");
        assertEquals(spec.p(), g[7]);
        assertEquals(spec.q(), g[8]);
        assertEquals(new CudaLaunch((int) ((spec.p() * spec.q() + 127) / 128), 1, 4, 256, 1, 0), plan.launch(),
                "75 filters per group fit one column tile");
    }

    @Test
    void depthwiseRunsTheDirectKernelOneThreadPerOutput() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(2).c(32).inputSize(7, 7).k(32).filterSize(3, 3)
                .padding(1).groups(32).inputType(DType.BF16).outputType(DType.BF16).build();
        CudaConvPlan plan = CudaConvPlan.of(spec);
        assertEquals("k4j_conv2d_depthwise_nhwc_bf16_bf16", plan.kernel());
        assertEquals(new CudaLaunch((2 * 32 * 7 * 7 + 255) / 256, 1, 1, 256, 1, 0), plan.launch());
    }

    @Test
    void hugeDepthwiseGridsAreCappedAndStrided() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NCHW).n(64).c(4096).inputSize(64, 64).k(4096).filterSize(1, 1)
                .groups(4096).build();
        assertEquals(CudaConvPlan.DEPTHWISE_MAX_BLOCKS, CudaConvPlan.of(spec).launch().gridX());
    }

    @Test
    void moreGroupsThanTheGridHoldsAreRefusedWithTheReason() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(1).c(140_000).inputSize(1, 1).k(140_000).filterSize(1, 1)
                .groups(70_000).build();
        var verdict = CudaConvPlan.feasibility(spec);
        assertFalse(verdict.available());
        assertTrue(verdict.reason().contains("1 × 1 × 70000"), verdict.reason());
        assertThrows(IllegalArgumentException.class, () -> CudaConvPlan.of(spec));
    }

    @Test
    void sizesBeyondIntAreRefused() {
        Conv2dSpec spec = Conv2dSpec.builder().layout(Layout.NHWC).n(1L << 31).c(1).inputSize(1, 1).k(1).filterSize(1, 1).build();
        assertTrue(CudaConvPlan.feasibility(spec).reason().contains("2^31 - 1"));
    }

    @Test
    void theGeometryIsCopiedInAndOut() {
        CudaConvPlan plan = new CudaConvPlan("k", new int[16], new CudaLaunch(1, 1, 1, 1, 1, 0), null);
        plan.geometry()[0] = 5;
        assertEquals(0, plan.geometry()[0]);
        assertThrows(IllegalArgumentException.class, () -> new CudaConvPlan("k", new int[15], new CudaLaunch(1, 1, 1, 1, 1, 0), null));
    }
}
