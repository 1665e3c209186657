package org.kernels4j.bench;

import java.util.Arrays;
import java.util.Objects;

/**
 * Wall-clock times of repeated runs of one operation: median and extremes.
 *
 * @param samples seconds per run, at least one; copied and sorted
 */
public record Timing(double[] samples) {
    public Timing {
        Objects.requireNonNull(samples, "samples");
        if (samples.length == 0) {
            throw new IllegalArgumentException("samples: at least one run is needed");
        }
        samples = samples.clone();
        Arrays.sort(samples);
    }

    @Override
    public double[] samples() {
        return samples.clone();
    }

    public int runs() {
        return samples.length;
    }

    /** Median seconds (mean of the middle two for an even count). */
    public double median() {
        return medianOfSorted(samples);
    }

    /** The median of {@code values} (mean of the middle two for an even count), at least one value. */
    public static double median(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("values: the median of no values is undefined");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return medianOfSorted(sorted);
    }

    private static double medianOfSorted(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public double fastest() {
        return samples[0];
    }

    public double slowest() {
        return samples[samples.length - 1];
    }

    /** {@code work} per second at the median time (e.g. GFLOP/s when work is in GFLOP). */
    public double medianRate(double work) {
        return work / median();
    }

    /** The slowest run's rate: the low end of the spread. */
    public double lowRate(double work) {
        return work / slowest();
    }

    /** The fastest run's rate: the high end of the spread. */
    public double highRate(double work) {
        return work / fastest();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Timing t && Arrays.equals(t.samples, samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "Timing[median " + median() + " s of " + samples.length + " runs, " + fastest() + "–" + slowest() + "]";
    }
}
