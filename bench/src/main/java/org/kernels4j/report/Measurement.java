package org.kernels4j.report;

/**
 * One op × backend × dtype × shape × threads point: its median rate with the spread over the runs, the peer
 * measured in the same run, and the share of the estimated peak. Conv2d and collectives rows use the same
 * fields (their own {@link Shape} parameters and unit), so that tables, plots and {@code k4j compare} take them
 * as they come.
 *
 * @param op             gemm, conv2d, allreduce
 * @param backend        backend that ran it (or, for JMH rows, the benchmark's implementation)
 * @param device         the device it ran on
 * @param deviceKind     CPU or GPU
 * @param source         "k4j" (measured by this run) or "jmh" (read from a JMH results file)
 * @param dtype          input dtype (cli name)
 * @param outputDtype    output dtype (cli name)
 * @param shape          the problem size
 * @param threads        CPU threads used (the backend's and the peer's)
 * @param unit           GFLOP/s, GOP/s (INT8) or GB/s
 * @param workPerCall    work of one call in the unit's numerator (GFLOP, GOP, GB)
 * @param bytesPerCall   least memory traffic of one call (each operand read once, the output written once), for
 *                       the roofline; null when not meaningful
 * @param status         OK, FAILED (the backend threw: see message) or NOT_RUN (unsupported: see message)
 * @param message        why it failed or did not run; "" when OK
 * @param runs           timed runs, 0 when not OK
 * @param medianSeconds  median time of one call, null when not OK
 * @param median         rate at the median time, null when not OK
 * @param low            rate of the slowest run, null when not OK
 * @param high           rate of the fastest run, null when not OK
 * @param peer           the peer library on the same operands and threads, null when none
 * @param peerRatio      our rate / the peer's, null when either is missing: for GEMM, whose calls are timed
 *                       interleaved with the peer's, the median over the rounds of the ratio within a round; for the
 *                       others median / peer median
 * @param percentOfPeak  100 × median / the estimated peak for these threads, null when no peak applies
 */
public record Measurement(String op, String backend, String device, String deviceKind, String source, String dtype,
                          String outputDtype, Shape shape, int threads, String unit, double workPerCall, Double bytesPerCall,
                          String status, String message, int runs, Double medianSeconds, Double median, Double low,
                          Double high, PeerResult peer, Double peerRatio, Double percentOfPeak) {
    public static final String OK = "OK";
    public static final String FAILED = "FAILED";
    public static final String NOT_RUN = "NOT_RUN";
    public static final String SOURCE_K4J = "k4j";
    public static final String SOURCE_JMH = "jmh";

    public Measurement {
        Fields.text("op", op);
        Fields.text("backend", backend);
        device = device == null ? "" : device;
        Fields.text("deviceKind", deviceKind);
        Fields.text("source", source);
        Fields.text("dtype", dtype);
        Fields.text("outputDtype", outputDtype);
        Fields.required("shape", shape);
        Fields.atLeast("threads", threads, 1);
        Fields.text("unit", unit);
        if (!(workPerCall > 0) || Double.isInfinite(workPerCall)) {
            throw new IllegalArgumentException("workPerCall: " + workPerCall + " is not positive");
        }
        bytesPerCall = Fields.finiteOrNull(bytesPerCall);
        if (!OK.equals(status) && !FAILED.equals(status) && !NOT_RUN.equals(status)) {
            throw new IllegalArgumentException("status: '" + status + "' is not OK, FAILED or NOT_RUN");
        }
        message = message == null ? "" : message;
        medianSeconds = Fields.finiteOrNull(medianSeconds);
        median = Fields.finiteOrNull(median);
        low = Fields.finiteOrNull(low);
        high = Fields.finiteOrNull(high);
        if (OK.equals(status) && median == null) {
            throw new IllegalArgumentException("median: missing for a measurement whose status is OK");
        }
        peerRatio = Fields.finiteOrNull(peerRatio);
        percentOfPeak = Fields.finiteOrNull(percentOfPeak);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** Operations per byte of least traffic (the roofline's x); NaN when the traffic is not known. */
    public double arithmeticIntensity() {
        return bytesPerCall == null ? Double.NaN : workPerCall * 1e9 / bytesPerCall;
    }

    /** The same measurement with its share of the estimated peak. */
    public Measurement withPercentOfPeak(Double percent) {
        return new Measurement(op, backend, device, deviceKind, source, dtype, outputDtype, shape, threads, unit, workPerCall,
                bytesPerCall, status, message, runs, medianSeconds, median, low, high, peer, peerRatio, percent);
    }

    /**
     * A peer library's rate on the same operands.
     *
     * @param name   library and routine ("openblas cblas_sgemm")
     * @param median rate at its median time
     * @param low    its slowest run's rate
     * @param high   its fastest run's rate
     */
    public record PeerResult(String name, double median, Double low, Double high) {
        public PeerResult {
            Fields.text("name", name);
            if (!(median > 0) || Double.isInfinite(median)) {
                throw new IllegalArgumentException("median: " + median + " is not a positive rate");
            }
            low = Fields.finiteOrNull(low);
            high = Fields.finiteOrNull(high);
        }
    }
}
