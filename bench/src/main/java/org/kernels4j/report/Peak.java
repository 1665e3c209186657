package org.kernels4j.report;

/**
 * An estimated peak rate of one device for one dtype: {@code cores × ghz × fmaUnits × lanes × 2}
 * (a fused multiply-add counts as two operations). An estimate from the processor's description, never a
 * measurement: the clock under load, the number of FMA units and what the JIT emits all move the real
 * ceiling. See {@link PeakEstimator} for how each factor is found.
 *
 * @param deviceKind CPU or GPU
 * @param device     the device ("the host CPU" model name, or a GPU's name)
 * @param dtype      input dtype (cli name)
 * @param unit       GFLOP/s or GOP/s
 * @param value      the peak with all {@code cores}
 * @param cores      cores counted
 * @param ghz        clock counted
 * @param fmaUnits   SIMD FMA units per core
 * @param lanes      multiply-adds one unit does per cycle for this dtype
 * @param basis      the instructions and assumptions behind {@code lanes} and {@code fmaUnits}
 */
public record Peak(String deviceKind, String device, String dtype, String unit, double value, int cores, double ghz,
                   int fmaUnits, int lanes, String basis) {
    public Peak {
        Fields.text("deviceKind", deviceKind);
        Fields.text("device", device);
        Fields.text("dtype", dtype);
        Fields.text("unit", unit);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value: " + value + " is not a positive rate");
        }
        Fields.atLeast("cores", cores, 1);
        Fields.atLeast("fmaUnits", fmaUnits, 1);
        Fields.atLeast("lanes", lanes, 1);
        basis = basis == null ? "" : basis;
    }

    /** The peak when {@code threads} threads run, one per core at most. */
    public double forThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        return value / cores * Math.min(threads, cores);
    }
}
