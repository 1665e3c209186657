package org.kernels4j.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.testing.Requirements;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;

/**
 * The OpenBLAS peer held to the reference like any backend (skipped without OpenBLAS unless K4J_REQUIRE
 * names openblas), on random and exact small-integer data. Edge fills (Inf, NaN, extremes) are left out:
 * the peer is a yardstick for speed, and how it propagates overflow in its FP32 accumulation is not
 * kernels4j's contract.
 */
class OpenBlasPeerTest {
    /** Shapes for the binding: argument order, transposes, leading dimensions and the scalars must all line up. */
    private static final int[][] SHAPES = {{1, 1, 1}, {7, 17, 33}, {33, 7, 17}, {127, 33, 257}};

    private static List<GemmCase> cases(DType input) {
        List<GemmCase> cases = new ArrayList<>();
        long seed = 1;
        float[][] scalars = {{1, 0}, {0.7f, 1.3f}, {0, 1.3f}, {-1, 1}};
        for (int[] shape : SHAPES) {
            for (int t = 0; t < 4; t++) {
                float[] alphaBeta = scalars[(int) (seed % scalars.length)];
                int pad = seed % 2 == 0 ? 3 : 0;
                boolean transA = (t & 2) != 0;
                boolean transB = (t & 1) != 0;
                GemmSpec spec = GemmSpec.builder().m(shape[0]).n(shape[1]).k(shape[2]).transA(transA).transB(transB)
                        .alpha(alphaBeta[0]).beta(alphaBeta[1]).inputType(input)
                        .lda(Math.max(1, transA ? shape[0] : shape[2]) + pad).ldb(Math.max(1, transB ? shape[2] : shape[1]) + pad)
                        .ldc(Math.max(1, shape[1]) + pad).build();
                cases.add(new GemmCase(spec, seed % 2 == 0 ? Fill.RANDOM : Fill.SMALL_INTEGERS, seed));
                seed++;
            }
        }
        return cases;
    }

    private static void assertAllPass(OpenBlasPeer peer, DType input) {
        for (GemmCase testCase : cases(input)) {
            CheckResult<GemmCase> result = GemmCheck.check(peer, testCase);
            assertTrue(result.passed(), () -> testCase.label() + " " + testCase.fill() + ": " + result.summary());
        }
    }

    @Test
    void sgemmAgreesWithTheReference() {
        try (OpenBlasPeer peer = OpenBlasPeer.open(2)) {
            Requirements.assumeAvailable("openblas", peer.availability());
            assertTrue(peer.device().name().startsWith("OpenBLAS "), peer.device().name());
            assertAllPass(peer, DType.FP32);
            peer.setThreads(1);
            assertAllPass(peer, DType.FP32);
        }
    }

    @Test
    void sbgemmAgreesWithTheReferenceWhereExported() {
        try (OpenBlasPeer peer = OpenBlasPeer.open(2)) {
            Requirements.assumeAvailable("openblas", peer.availability());
            GemmSpec bf16 = GemmSpec.builder().m(2).n(2).k(2).inputType(DType.BF16).build();
            if (!peer.supports(bf16).available()) {
                assertEquals("this OpenBLAS build does not export cblas_sbgemm (BF16)", peer.supports(bf16).reason());
                assertFalse(peer.device().dtypes().contains(DType.BF16));
                org.junit.jupiter.api.Assumptions.abort("cblas_sbgemm not exported by " + peer.device().name());
            }
            assertAllPass(peer, DType.BF16);
        }
    }

    @Test
    void refusesWhatOpenBlasCannotRun() {
        try (OpenBlasPeer peer = OpenBlasPeer.open(1)) {
            Requirements.assumeAvailable("openblas", peer.availability());
            GemmSpec fp16 = GemmSpec.builder().m(2).n(2).k(2).inputType(DType.FP16).build();
            GemmSpec int8 = GemmSpec.builder().m(2).n(2).k(2).inputType(DType.INT8).build();
            assertEquals("OpenBLAS has no FP16 GEMM", peer.supports(fp16).reason());
            assertEquals("OpenBLAS GEMM writes FP32 only, not INT32", peer.supports(int8).reason());
            assertThrows(BackendUnavailableException.class, () -> GemmCheck.check(peer, new GemmCase(fp16, Fill.RANDOM, 1)));
            assertThrows(IllegalArgumentException.class, () -> peer.setThreads(0));
        }
    }

    @Test
    void candidatesStartWithTheOverrideAndTheSonameAndEndWithLibblas() {
        List<String> candidates = OpenBlasLibrary.candidates();
        String override = System.getenv(OpenBlasLibrary.PATH_VARIABLE);
        int first = override == null || override.isBlank() ? 0 : 1;
        assertEquals("libopenblas.so.0", candidates.get(first));
        assertEquals("libblas.so.3", candidates.get(candidates.size() - 1));
        assertEquals(candidates.size(), candidates.stream().distinct().count());
    }
}
