package org.kernels4j.report;

/**
 * Main-memory bandwidth, measured by {@link BandwidthProbe} with STREAM's copy and triad kernels on off-heap
 * arrays much larger than the last-level cache: the best repetition, counting the bytes read and written
 * (copy: 2 per element byte, triad: 3).
 *
 * @param copyGBs     copy a[i] = b[i], GB/s (10^9 bytes)
 * @param triadGBs    triad a[i] = b[i] + s·c[i], GB/s
 * @param arrayBytes  size of each array
 * @param threads     threads that ran the kernels
 * @param repetitions repetitions of each kernel (the best is kept)
 */
public record MemoryBandwidth(double copyGBs, double triadGBs, long arrayBytes, int threads, int repetitions) {
    public MemoryBandwidth {
        if (!(copyGBs > 0) || !(triadGBs > 0) || Double.isInfinite(copyGBs) || Double.isInfinite(triadGBs)) {
            throw new IllegalArgumentException("copyGBs, triadGBs: " + copyGBs + ", " + triadGBs + " are not positive rates");
        }
        if (arrayBytes < 1) {
            throw new IllegalArgumentException("arrayBytes: " + arrayBytes + " is less than 1");
        }
        Fields.atLeast("threads", threads, 1);
        Fields.atLeast("repetitions", repetitions, 1);
    }

    /** The roofline's bandwidth roof: the better of the two kernels. */
    public double bestGBs() {
        return Math.max(copyGBs, triadGBs);
    }
}
