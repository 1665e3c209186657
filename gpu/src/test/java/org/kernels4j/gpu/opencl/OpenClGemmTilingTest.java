package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.testing.Requirements;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;

/**
 * gemm.cl is right for tilings other than the one the preferred device uses (the conformance test covers
 * that one): the GPU tiling, a lopsided one whose tiles are not square and whose k step is odd, and every
 * other candidate of the tiling search, run on the preferred device against the reference.
 */
class OpenClGemmTilingTest {
    private static final OpenClGemmTiling GPU = OpenClGemmTiling.forDevice(
            new OpenClDeviceInfo(0, 0, "platform", "gpu", true, 1, 1, false, "1.0"));
    private static final OpenClGemmTiling LOPSIDED = new OpenClGemmTiling(24, 40, 7, 4, 8);
    private static final DType[][] PAIRS = {
        {DType.FP32, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32},
        {DType.INT8, DType.FP32}};

    // One backend per tiling for the whole class: contexts and program builds are the slow part on PoCL.
    private static final Map<OpenClGemmTiling, OpenClBackend> BACKENDS = new HashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 1;
        for (OpenClGemmTiling tiling : List.of(GPU, LOPSIDED)) {
            for (DType[] pair : PAIRS) {
                boolean integer = pair[1] == DType.INT32;
                for (long[] shape : new long[][] {{1, 1, 1}, {65, 33, 17}, {100, 130, 70}}) {
                    for (boolean ta : new boolean[] {false, true}) {
                        GemmSpec spec = GemmSpec.builder().m(shape[0]).n(shape[1]).k(shape[2]).transA(ta).transB(!ta)
                                .inputType(pair[0]).outputType(pair[1]).alpha(integer ? 3f : 0.7f).beta(integer ? -2f : 1.3f)
                                .build();
                        spec = spec.toBuilder().lda(spec.lda() + 3).ldc(spec.ldc() + 2).build();
                        cases.add(Arguments.of(tiling, new GemmCase(spec, Fill.RANDOM, seed++)));
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * Every other tiling the search may choose, on either kind of device, on an FP32 problem that crosses its tiles
     * (FP32 only: each tiling costs a program build, the slow part on PoCL, and the dtypes are the same code for all).
     */
    static Stream<Arguments> candidateCases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 1000;
        for (boolean gpu : new boolean[] {false, true}) {
            OpenClDeviceInfo device = new OpenClDeviceInfo(0, 0, "platform", "device", gpu, 1, 1, false, "1.0");
            for (OpenClGemmTiling tiling : OpenClGemmTiling.candidates(device).subList(1, OpenClGemmTiling.candidates(device).size())) {
                GemmSpec spec = GemmSpec.builder().m(150).n(133).k(37).transA(true).alpha(2f).beta(-1f).build();
                cases.add(Arguments.of(tiling, new GemmCase(spec, Fill.RANDOM, seed++)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource({"cases", "candidateCases"})
    void matchesTheReference(OpenClGemmTiling tiling, GemmCase testCase) {
        CheckResult<GemmCase> result = GemmCheck.check(backend(tiling), testCase);
        assertTrue(result.passed(), () -> tiling + " " + testCase + ": " + result.summary());
    }

    private static synchronized OpenClBackend backend(OpenClGemmTiling tiling) {
        OpenClDiscovery.Discovered discovered = OpenClDiscovery.discover();
        Requirements.assumeAvailable(OpenClBackendProvider.NAME, discovered.device().availability());
        return BACKENDS.computeIfAbsent(tiling, t -> new OpenClBackend(discovered.device(), discovered.chosen().orElseThrow(), t));
    }

    @AfterAll
    static synchronized void closeBackends() {
        BACKENDS.values().forEach(OpenClBackend::close);
        BACKENDS.clear();
    }

    @Test
    void coversAResultWithWholeWorkGroups() {
        assertArrayEquals(new long[] {5 * 8, 3 * 4}, LOPSIDED.globalSize(49, 161));
        assertArrayEquals(new long[] {8, 4}, LOPSIDED.localSize());
        assertEquals("-D K4J_IN_INT8 -D K4J_OUT_FP32 -D K4J_TILE_M=24 -D K4J_TILE_N=40 -D K4J_TILE_K=7 -D K4J_GROUP_M=4"
                + " -D K4J_GROUP_N=8", LOPSIDED.buildOptions(DType.INT8, DType.FP32));
    }

    @Test
    void rejectsATileThatIsNotAMultipleOfTheGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OpenClGemmTiling(30, 64, 16, 16, 16));
        assertTrue(e.getMessage().startsWith("tileM, tileN, tileK, groupM, groupN: 30, 64, 16, 16, 16"), e.getMessage());
    }
}
