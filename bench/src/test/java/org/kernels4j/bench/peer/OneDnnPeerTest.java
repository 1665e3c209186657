package org.kernels4j.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.testing.Requirements;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Conv2dCheck;
import org.kernels4j.validate.Fill;

/**
 * The oneDNN peer held to the reference like any backend (skipped without oneDNN unless K4J_REQUIRE names onednn), on
 * random and exact small-integer data, in every dtype oneDNN implements on this CPU. The shapes exercise what the
 * binding must pass through correctly: both layouts, asymmetric padding, stride and dilation per axis, groups,
 * depthwise, bias, batch. Edge fills are left out: the peer is a yardstick for speed, and how it overflows is not
 * kernels4j's contract.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneDnnPeerTest {
    private static final List<Conv2dSpec.Builder> SHAPES = List.of(
            Conv2dSpec.builder().n(2).c(19).k(17).inputSize(11, 13).filterSize(1, 1),
            Conv2dSpec.builder().n(1).c(16).k(24).inputSize(13, 12).filterSize(3, 3).padding(1).bias(true),
            Conv2dSpec.builder().n(1).c(3).k(16).inputSize(29, 31).filterSize(7, 7).stride(2).padding(3),
            Conv2dSpec.builder().n(3).c(8).k(6).inputSize(9, 10).filterSize(3, 5).stride(2, 1).padding(0, 2, 1, 3).dilation(1, 2).bias(true),
            Conv2dSpec.builder().n(1).c(12).k(18).groups(3).inputSize(7, 9).filterSize(3, 3).padding(1),
            Conv2dSpec.builder().n(2).c(32).k(32).groups(32).inputSize(14, 15).filterSize(3, 3).stride(2).padding(1).bias(true));

    private static List<Conv2dCase> cases(DType input) {
        List<Conv2dCase> cases = new ArrayList<>();
        long seed = 11;
        for (Conv2dSpec.Builder shape : SHAPES) {
            for (Layout layout : Layout.values()) {
                Fill fill = seed % 2 == 0 ? Fill.RANDOM : Fill.SMALL_INTEGERS;
                cases.add(new Conv2dCase(shape.layout(layout).inputType(input).outputType(Conv2dSpec.defaultOutputType(input)).build(),
                        fill, seed++));
            }
        }
        return cases;
    }

    @Test
    void everyImplementedDtypeAgreesWithTheReferenceInBothLayouts() {
        try (OneDnnPeer peer = OneDnnPeer.open(2)) {
            Requirements.assumeAvailable("onednn", peer.availability());
            assertTrue(peer.device().name().startsWith("oneDNN 2."), peer.device().name());
            assertTrue(peer.device().dtypes().contains(DType.FP32), () -> "dtypes " + peer.device().dtypes());
            for (DType input : peer.device().dtypes()) {
                for (Conv2dCase testCase : cases(input)) {
                    CheckResult<Conv2dCase> result = Conv2dCheck.check(peer, testCase);
                    assertTrue(result.passed(), () -> testCase.label() + " " + testCase.fill() + ": " + result.summary());
                }
            }
        }
    }

    @Test
    void aPreparedConvolutionRunsRepeatedlyOnNewOperandsAndNamesItsImplementation() {
        try (OneDnnPeer peer = OneDnnPeer.open(1)) {
            Requirements.assumeAvailable("onednn", peer.availability());
            Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(1).inputSize(2, 2).filterSize(1, 1).layout(Layout.NHWC).bias(true).build();
            try (OneDnnPeer.Prepared prepared = peer.prepare(spec);
                 Tensor x = Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
                 Tensor w = Tensor.fromFloats(DType.FP32, new float[] {10, 1}, 1, 1, 1, 2);
                 Tensor b = Tensor.fromFloats(DType.FP32, new float[] {0.5f}, 1);
                 Tensor y = Tensor.allocate(DType.FP32, 1, 2, 2, 1)) {
                assertTrue(prepared.label().startsWith("onednn "), prepared.label());
                prepared.run(x, w, b, y);
                assertEquals(List.of(12.5f, 34.5f, 56.5f, 78.5f), floats(y));
                w.set(-1, 0, 0, 0, 0);
                prepared.run(x, w, b, y);
                assertEquals(List.of(1.5f, 1.5f, 1.5f, 1.5f), floats(y));
                assertThrows(IllegalArgumentException.class, () -> prepared.run(x, w, null, y));
            }
        }
    }

    @Test
    void refusesGemmAndSaysWhyADtypeIsMissing() {
        try (OneDnnPeer peer = OneDnnPeer.open(1)) {
            Requirements.assumeAvailable("onednn", peer.availability());
            assertEquals("the oneDNN peer benchmarks convolutions only",
                    peer.supports(GemmSpec.builder().m(2).n(2).k(2).build()).reason());
            for (DType input : List.of(DType.FP16, DType.BF16)) {
                Conv2dSpec spec = tinySpec(input);
                assertEquals(peer.device().dtypes().contains(input), peer.supports(spec).available(), input::toString);
                if (!peer.supports(spec).available()) {
                    assertTrue(peer.supports(spec).reason().contains("has no " + input), peer.supports(spec).reason());
                    assertThrows(BackendUnavailableException.class, () -> peer.prepare(spec));
                }
            }
            assertFalse(peer.device().dtypes().contains(DType.INT8));
            assertEquals(OneDnnPeer.INT8_REASON, peer.supports(tinySpec(DType.INT8)).reason());
            assertThrows(BackendUnavailableException.class, () -> peer.prepare(tinySpec(DType.INT8)));
            assertThrows(IllegalArgumentException.class, () -> OneDnnPeer.open(0));
        }
    }

    @Test
    void candidatesStartWithTheOverrideThenTheSoname() {
        List<String> candidates = OneDnnLibrary.candidates();
        String override = System.getenv(OneDnnLibrary.PATH_VARIABLE);
        assertEquals("libdnnl.so.2", candidates.getLast());
        assertFalse(candidates.isEmpty());
        assertEquals(override == null || override.isBlank() ? 1 : 2, candidates.size());
    }

    private static Conv2dSpec tinySpec(DType input) {
        return Conv2dSpec.builder().n(1).c(16).k(16).inputSize(4, 4).filterSize(1, 1).layout(Layout.NHWC).inputType(input).build();
    }

    private static List<Float> floats(Tensor y) {
        List<Float> values = new ArrayList<>();
        for (float v : y.toFloatArray()) {
            values.add(v);
        }
        return values;
    }
}
