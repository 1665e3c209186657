package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/** The launch geometry and repacking choices of the CUDA GEMM, without a GPU. */
class CudaGemmPlanTest {
    private static GemmSpec.Builder spec(DType input, long m, long n, long k) {
        return GemmSpec.builder().inputType(input).m(m).n(n).k(k);
    }

    @Test
    void fp32RunsTheSimtKernelAsStoredOnOneBlockPer128x128Tile() {
        CudaGemmPlan plan = CudaGemmPlan.of(spec(DType.FP32, 300, 129, 7).transA(true).lda(301).build());
        assertEquals("k4j_gemm_simt_fp32_fp32", plan.kernel());
        assertFalse(plan.tensorCore());
        assertEquals(7, plan.depth());
        assertEquals(new CudaLaunch(3, 2, 1, 256, 1, 0), plan.launch());
        assertEquals(new CudaGemmPlan.Operand(CudaGemmPlan.Repack.NONE, 7, 301, null), plan.a());
        assertEquals(CudaGemmPlan.Repack.NONE, plan.b().repack());
    }

    @Test
    void halfPrecisionWithBStoredKByNIsTransposedIntoAlignedRowsOfK() {
        CudaGemmPlan plan = CudaGemmPlan.of(spec(DType.FP16, 256, 100, 70).build());
        assertEquals("k4j_gemm_tc_fp16_fp32", plan.kernel());
        assertTrue(plan.tensorCore());
        assertEquals(CudaGemmPlan.Repack.REALIGN, plan.a().repack(), "lda = 70 halves = 140 bytes is not 16-byte aligned");
        assertEquals(72, plan.a().ld());
        assertEquals(CudaGemmPlan.Repack.TRANSPOSE, plan.b().repack());
        assertEquals(100, plan.b().outer());
        assertEquals(72, plan.b().ld());
        assertEquals(new CudaLaunch(3 * 4, 1, 1, 32, 8, 0), plan.b().transpose(), "k = 70 rows by n = 100 columns in 32x32 tiles");
        assertEquals(100L * 72 * 2, plan.b().scratchBytes(DType.FP16));
        assertEquals(new CudaLaunch(2, 1, 1, 256, 1, CudaGemmPlan.TC_SHARED_BYTES), plan.launch());
        assertTrue(plan.launch().sharedBytes() > CudaLaunch.DEFAULT_SHARED_LIMIT, "needs the raised shared-memory limit");
    }

    @Test
    void kContiguousAlignedOperandsAreUsedAsStored() {
        CudaGemmPlan plan = CudaGemmPlan.of(spec(DType.BF16, 64, 64, 64).transB(true).outputType(DType.BF16).build());
        assertEquals("k4j_gemm_tc_bf16_bf16", plan.kernel());
        assertEquals(new CudaGemmPlan.Operand(CudaGemmPlan.Repack.NONE, 64, 64, null), plan.a());
        assertEquals(new CudaGemmPlan.Operand(CudaGemmPlan.Repack.NONE, 64, 64, null), plan.b());
        assertEquals(0, plan.a().scratchBytes(DType.BF16));
    }

    @Test
    void int8TransposedAIsRepackedToRowsOf16Bytes() {
        CudaGemmPlan plan = CudaGemmPlan.of(spec(DType.INT8, 5, 9, 17).transA(true).transB(true).ldb(32).build());
        assertEquals("k4j_gemm_tc_int8_int32", plan.kernel());
        assertEquals(new CudaGemmPlan.Operand(CudaGemmPlan.Repack.TRANSPOSE, 5, 32, CudaGemmPlan.transposeLaunch(17, 5)), plan.a());
        assertEquals(CudaGemmPlan.Repack.NONE, plan.b().repack(), "ldb = 32 bytes is aligned");
    }

    @Test
    void alphaZeroOrEmptyKOnlyScalesCWithTheSimtKernelAndKZero() {
        for (GemmSpec scaleOnly : new GemmSpec[] {spec(DType.FP16, 10, 10, 10).alpha(0f).beta(2f).build(),
                spec(DType.INT8, 10, 10, 0).beta(3f).build()}) {
            CudaGemmPlan plan = CudaGemmPlan.of(scaleOnly);
            assertFalse(plan.tensorCore(), scaleOnly.toString());
            assertEquals(0, plan.depth(), "k = 0 makes the kernel read neither A nor B");
            assertEquals(CudaGemmPlan.Repack.NONE, plan.a().repack());
            assertEquals(CudaGemmPlan.Repack.NONE, plan.b().repack());
        }
        assertEquals("k4j_gemm_simt_int8_int32", CudaGemmPlan.of(spec(DType.INT8, 1, 1, 0).build()).kernel());
    }

    @Test
    void emptyOutputsHaveNoPlan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaGemmPlan.of(spec(DType.FP32, 0, 4, 4).build()));
        assertTrue(e.getMessage().startsWith("spec: m = 0, n = 4"), e.getMessage());
    }

    @Test
    void nBeyondTheGridLimitIsRefusedWithTheReason() {
        long widest = CudaLaunch.MAX_GRID_YZ * CudaGemmPlan.SIMT_TILE;
        assertTrue(CudaGemmPlan.feasibility(spec(DType.FP32, 1, widest, 1).build()).available());
        var refused = CudaGemmPlan.feasibility(spec(DType.FP32, 1, widest + 1, 1).build());
        assertFalse(refused.available());
        assertEquals("n = " + (widest + 1) + " needs 65536 column tiles of 128; a CUDA grid has at most 65535", refused.reason());
        assertThrows(IllegalArgumentException.class, () -> CudaGemmPlan.of(spec(DType.FP32, 1, widest + 1, 1).build()));
    }

    @Test
    void alignedLeadingDimensionsRoundUpToSixteenBytes() {
        assertEquals(8, CudaGemmPlan.alignedLeadingDimension(0, 2));
        assertEquals(8, CudaGemmPlan.alignedLeadingDimension(1, 2));
        assertEquals(8, CudaGemmPlan.alignedLeadingDimension(8, 2));
        assertEquals(16, CudaGemmPlan.alignedLeadingDimension(9, 2));
        assertEquals(32, CudaGemmPlan.alignedLeadingDimension(17, 1));
        assertEquals(4, CudaGemmPlan.alignedLeadingDimension(3, 4));
    }

    @Property(tries = 300)
    void everyTileOfCIsCoveredExactlyAndRepacksCoverTheirOperand(@ForAll @IntRange(min = 1, max = 5000) int m,
                                                                 @ForAll @IntRange(min = 1, max = 5000) int n,
                                                                 @ForAll @IntRange(min = 1, max = 5000) int k,
                                                                 @ForAll boolean transA, @ForAll boolean transB) {
        CudaGemmPlan plan = CudaGemmPlan.of(spec(DType.FP16, m, n, k).transA(transA).transB(transB).build());
        CudaLaunch launch = plan.launch();
        assertTrue((long) launch.gridX() * CudaGemmPlan.TC_TILE >= m && (long) (launch.gridX() - 1) * CudaGemmPlan.TC_TILE < m);
        assertTrue((long) launch.gridY() * CudaGemmPlan.TC_TILE >= n && (long) (launch.gridY() - 1) * CudaGemmPlan.TC_TILE < n);
        for (CudaGemmPlan.Operand operand : new CudaGemmPlan.Operand[] {plan.a(), plan.b()}) {
            assertTrue(operand.ld() >= k && operand.ld() * 2 % 16 == 0 || operand.repack() == CudaGemmPlan.Repack.NONE,
                    "a repacked operand has aligned rows of at least k: " + operand);
            if (operand.repack() == CudaGemmPlan.Repack.TRANSPOSE) {
                long tiles = ((k + 31) / 32) * ((operand.outer() + 31) / 32);
                assertEquals(tiles, operand.transpose().gridX());
            } else {
                assertNull(operand.transpose());
            }
        }
        assertEquals(transA ? CudaGemmPlan.Repack.TRANSPOSE : (k % 8 == 0 ? CudaGemmPlan.Repack.NONE : CudaGemmPlan.Repack.REALIGN),
                plan.a().repack());
        assertEquals(!transB ? CudaGemmPlan.Repack.TRANSPOSE : (k % 8 == 0 ? CudaGemmPlan.Repack.NONE : CudaGemmPlan.Repack.REALIGN),
                plan.b().repack());
    }
}
