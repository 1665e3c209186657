package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search's choice among measured candidates, with made-up timings. */
class OpenClGemmTunerTest {
    private static final OpenClGemmTiling FIRST = new OpenClGemmTiling(64, 64, 16, 8, 8);
    private static final OpenClGemmTiling SECOND = new OpenClGemmTiling(32, 32, 16, 8, 8);
    private static final OpenClGemmTiling THIRD = new OpenClGemmTiling(64, 64, 32, 8, 8);
    private static final List<OpenClGemmTiling> CANDIDATES = List.of(FIRST, SECOND, THIRD);

    @Test
    void keepsTheFastest() {
        Map<OpenClGemmTiling, Double> seconds = Map.of(FIRST, 0.3, SECOND, 0.1, THIRD, 0.2);
        assertEquals(SECOND, OpenClGemmTuner.fastest(CANDIDATES, seconds::get));
    }

    @Test
    void aTieGoesToTheEarlierCandidate() {
        assertEquals(FIRST, OpenClGemmTuner.fastest(CANDIDATES, tiling -> 0.5));
        Map<OpenClGemmTiling, Double> seconds = Map.of(FIRST, 0.3, SECOND, 0.2, THIRD, 0.2);
        assertEquals(SECOND, OpenClGemmTuner.fastest(CANDIDATES, seconds::get));
    }

    @Test
    void skipsCandidatesTheDeviceCannotRun() {
        assertEquals(THIRD, OpenClGemmTuner.fastest(CANDIDATES, tiling -> {
            if (tiling != THIRD) {
                throw new OpenClException("clEnqueueNDRangeKernel failed: CL_OUT_OF_RESOURCES (-5)");
            }
            return 9.0;
        }));
    }

    @Test
    void keepsTheDefaultWhenNothingCanBeMeasured() {
        assertEquals(FIRST, OpenClGemmTuner.fastest(CANDIDATES, tiling -> {
            throw new OpenClException("clBuildProgram failed");
        }));
    }

    @Test
    void needsACandidate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenClGemmTuner.fastest(List.of(), t -> 1.0));
        assertEquals("candidates: empty", e.getMessage());
    }

    @Test
    void everyDeviceKindHasValidCandidatesWithItsDefaultFirst() {
        for (boolean gpu : new boolean[] {false, true}) {
            OpenClDeviceInfo device = new OpenClDeviceInfo(0, 0, "platform", "device", gpu, 1, 1, false, "1.0");
            List<OpenClGemmTiling> candidates = OpenClGemmTiling.candidates(device);
            assertEquals(OpenClGemmTiling.forDevice(device), candidates.getFirst());
            assertEquals(candidates.size(), candidates.stream().distinct().count(), candidates.toString());
        }
    }
}
