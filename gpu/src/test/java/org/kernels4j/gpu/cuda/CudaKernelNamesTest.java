package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.gpu.ElementwiseReduce;

class CudaKernelNamesTest {
    @Test
    void namesFollowTheFamilyLayoutAndDtypePair() {
        assertEquals("k4j_gemm_simt_int8_fp32", CudaKernelNames.gemmSimt(DType.INT8, DType.FP32));
        assertEquals("k4j_gemm_tc_bf16_bf16", CudaKernelNames.gemmTensorCores(DType.BF16, DType.BF16));
        assertEquals("k4j_transpose_b16", CudaKernelNames.transpose(2));
        assertEquals("k4j_transpose_batched_b32", CudaKernelNames.transposeBatched(4));
        assertEquals("k4j_conv2d_igemm_nchw_fp16_fp16", CudaKernelNames.convImplicitGemm(Layout.NCHW, DType.FP16, DType.FP16));
        assertEquals("k4j_conv2d_tc_nhwc_bf16_fp32", CudaKernelNames.convTensorCores(DType.BF16, DType.FP32));
        assertEquals("k4j_conv2d_depthwise_nhwc_int8_int32", CudaKernelNames.convDepthwise(Layout.NHWC, DType.INT8, DType.INT32));
    }

    @Test
    void pairsWithoutAKernelAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaKernelNames.gemmSimt(DType.FP32, DType.FP16));
        assertTrue(e.getMessage().startsWith("input, output: FP32→FP16 is not a supported pair"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaKernelNames.gemmTensorCores(DType.FP32, DType.FP32));
        assertThrows(IllegalArgumentException.class, () -> CudaKernelNames.convTensorCores(DType.FP32, DType.FP32));
        assertThrows(IllegalArgumentException.class, () -> CudaKernelNames.transpose(4));
        assertThrows(IllegalArgumentException.class, () -> CudaKernelNames.transposeBatched(8));
    }

    @Test
    void allListsEveryFamilyOnceWithTheReductions() {
        List<String> all = CudaKernelNames.all();
        assertEquals(all.size(), new HashSet<>(all).size(), "no duplicates");
        // 7 SIMT GEMMs, 6 tensor-core GEMMs, 2 transposes, 7 pairs × 2 layouts × 2 conv kernels, 6 tensor-core
        // convolutions, 3 batched transposes, the reductions.
        assertEquals(7 + 6 + 2 + 28 + 6 + 3 + ElementwiseReduce.kernelNames().size(), all.size());
        assertTrue(all.containsAll(ElementwiseReduce.kernelNames()));
    }
}
