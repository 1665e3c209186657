package org.kernels4j.bench;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * Times a backend's GEMM, or any call ({@link #time(Runnable)}: the convolution benchmark uses it too): warm-up calls
 * until the speed has settled (the JIT has compiled the kernels, caches and thread pools are warm), then each measured
 * call timed on its own.
 *
 * <p>Warm-up ends when all of these hold: at least {@code 2 × warmupCalls} calls (a full window to compare
 * against and the window being judged), at least {@code minWarmup} elapsed, and the fastest of the last
 * {@code warmupCalls} calls is less than {@value #SETTLED} better than the fastest call before them; or when
 * {@code maxWarmup} has elapsed. A fixed count or time alone
 * is not enough on a loaded machine: C2 may still be compiling the kernel after a second.
 *
 * @param warmupCalls  calls before measuring, and the window in which the speed must have settled (0: no warm-up)
 * @param minWarmup    least warm-up time when {@code warmupCalls > 0}
 * @param maxWarmup    most warm-up time, whether or not the speed has settled
 * @param measuredRuns timed calls, at least 1
 * @param measuringBudget time after which no further measured call starts (at least one always runs), so that
 *                        a call of tens of seconds on a slow backend is timed once or twice, not {@code measuredRuns} times
 */
public record GemmTimer(int warmupCalls, Duration minWarmup, Duration maxWarmup, int measuredRuns, Duration measuringBudget) {
    /** Relative improvement below which the speed counts as settled. */
    static final double SETTLED = 0.05;

    public GemmTimer {
        if (warmupCalls < 0) {
            throw new IllegalArgumentException("warmupCalls: " + warmupCalls + " is negative");
        }
        Objects.requireNonNull(minWarmup, "minWarmup");
        Objects.requireNonNull(maxWarmup, "maxWarmup");
        if (minWarmup.isNegative() || maxWarmup.compareTo(minWarmup) < 0) {
            throw new IllegalArgumentException("minWarmup, maxWarmup: " + minWarmup + ", " + maxWarmup
                    + " must satisfy 0 <= minWarmup <= maxWarmup");
        }
        if (measuredRuns < 1) {
            throw new IllegalArgumentException("measuredRuns: " + measuredRuns + " is less than 1");
        }
        Objects.requireNonNull(measuringBudget, "measuringBudget");
        if (measuringBudget.isNegative()) {
            throw new IllegalArgumentException("measuringBudget: " + measuringBudget + " is negative");
        }
    }

    /** A timer whose measured runs all run, however long they take. */
    public GemmTimer(int warmupCalls, Duration minWarmup, Duration maxWarmup, int measuredRuns) {
        this(warmupCalls, minWarmup, maxWarmup, measuredRuns, ChronoUnit.FOREVER.getDuration());
    }

    public Timing time(Backend backend, GemmSpec spec, GemmOperands operands) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(operands, "operands");
        return time(() -> backend.gemm(spec, operands.a(), operands.b(), operands.c()));
    }

    /** Warms {@code call} up and times its measured runs, as for a GEMM. */
    public Timing time(Runnable call) {
        Objects.requireNonNull(call, "call");
        if (warmupCalls > 0) {
            warmUp(call);
        }
        double[] seconds = new double[measuredRuns];
        double budget = measuringBudget.getSeconds() + measuringBudget.getNano() * 1e-9;
        double spent = 0;
        int runs = 0;
        while (runs < measuredRuns && (runs == 0 || spent < budget)) {
            seconds[runs] = timedCall(call);
            spent += seconds[runs++];
        }
        return new Timing(Arrays.copyOf(seconds, runs));
    }

    private void warmUp(Runnable call) {
        long start = System.nanoTime();
        double[] window = new double[warmupCalls];
        double bestBeforeWindow = Double.POSITIVE_INFINITY;
        for (long calls = 0; ; calls++) {
            int slot = (int) (calls % warmupCalls);
            if (calls >= warmupCalls) {
                bestBeforeWindow = Math.min(bestBeforeWindow, window[slot]);
            }
            window[slot] = timedCall(call);
            long elapsed = System.nanoTime() - start;
            if (elapsed >= maxWarmup.toNanos()) {
                return;
            }
            boolean settled = calls + 1 >= 2L * warmupCalls && elapsed >= minWarmup.toNanos()
                    && min(window) >= (1 - SETTLED) * bestBeforeWindow;
            if (settled) {
                return;
            }
        }
    }

    private static double timedCall(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) * 1e-9;
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }
}
