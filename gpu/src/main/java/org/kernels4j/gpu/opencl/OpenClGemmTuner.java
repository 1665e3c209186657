package org.kernels4j.gpu.opencl;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The first-use search for a device's GEMM tiling: measures each candidate and keeps the fastest. A candidate the
 * device cannot build or run (too much local memory, too large a work-group) is skipped; when none can be measured
 * the first candidate, the built-in default, stays.
 *
 * <p>Stateless and thread-safe.
 */
final class OpenClGemmTuner {
    private OpenClGemmTuner() {
    }

    /**
     * The candidate with the least {@code seconds}; ties go to the earlier one.
     *
     * @param candidates the tilings to try, the default first
     * @param seconds    how long one candidate takes on the trial problem; throws {@link OpenClException} when the
     *                   candidate cannot run on the device
     */
    static OpenClGemmTiling fastest(List<OpenClGemmTiling> candidates, ToDoubleFunction<OpenClGemmTiling> seconds) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(seconds, "seconds");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates: empty");
        }
        OpenClGemmTiling best = candidates.getFirst();
        double bestSeconds = Double.POSITIVE_INFINITY;
        for (OpenClGemmTiling candidate : candidates) {
            double measured;
            try {
                measured = seconds.applyAsDouble(candidate);
            } catch (OpenClException e) {
                continue;
            }
            if (measured < bestSeconds) {
                best = candidate;
                bestSeconds = measured;
            }
        }
        return best;
    }
}
