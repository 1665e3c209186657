package org.kernels4j.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets each measurement's share of the estimated peak: the peak of its device kind and dtype (for a GPU, of
 * the same device) scaled to its thread count, in the same unit. Rows without such a peak get none.
 */
public final class PeakShares {
    private PeakShares() {
    }

    public static List<Measurement> apply(List<Measurement> measurements, List<Peak> peaks) {
        Objects.requireNonNull(measurements, "measurements");
        Objects.requireNonNull(peaks, "peaks");
        return measurements.stream().map(m -> m.withPercentOfPeak(
                m.median() == null ? null : peakFor(m, peaks).map(p -> 100 * m.median() / p.forThreads(m.threads())).orElse(null)))
                .toList();
    }

    /** The peak that bounds {@code measurement}, when one was estimated. */
    public static Optional<Peak> peakFor(Measurement measurement, List<Peak> peaks) {
        return peaks.stream()
                .filter(p -> p.deviceKind().equals(measurement.deviceKind()) && p.dtype().equals(measurement.dtype())
                        && p.unit().equals(measurement.unit())
                        && (p.deviceKind().equals(PeakEstimator.CPU) || p.device().equals(measurement.device())))
                .findFirst();
    }
}
