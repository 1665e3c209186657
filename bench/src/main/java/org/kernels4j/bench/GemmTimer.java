package org.kernels4j.bench;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * Times a backend's GEMM, or any call ({@link #time(Runnable)}: the convolution benchmark uses it too): warm-up calls
 * until the speed has settled (the JIT has compiled the kernels, caches and thread pools are warm), then each measured
 * call timed on its own. Calls to be compared (ours and a peer's) are timed together, interleaved call by call
 * ({@link #timeInterleaved}).
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
 * @param measuredRuns timed calls (rounds of interleaved calls), at least 1
 * @param measuringBudget measured time of a call after which it runs no more (at least once it runs), so that a call
 *                        of tens of seconds on a slow backend is timed once or twice, not {@code measuredRuns} times
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
        return time(call(backend, spec, operands));
    }

    /** One GEMM of {@code backend} on {@code operands}, as a call to time. */
    public static Runnable call(Backend backend, GemmSpec spec, GemmOperands operands) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(operands, "operands");
        return () -> backend.gemm(spec, operands.a(), operands.b(), operands.c());
    }

    /** Warms {@code call} up and times its measured runs, as for a GEMM; what the call throws is thrown on. */
    public Timing time(Runnable call) {
        Objects.requireNonNull(call, "call");
        CallTimes times = timeInterleaved(List.of(call)).getFirst();
        if (times.failed()) {
            throw times.failure();
        }
        return times.timing();
    }

    /**
     * Times calls that are to be compared with one another (ours and a peer's), interleaved: each is warmed up on its
     * own, then each measured round runs every call that has not failed once, each timed on its own. Timing one call's
     * runs and then the other's would compare different moments of a shared machine, whose speed changes in phases
     * of seconds (another tenant on the core or L3: a 1024³ GEMM repeated in one process ran at ~43, then ~61, then
     * ~31 GFLOP/s, a few dozen calls each); within a round all calls meet the same phase. The order rotates from round
     * to round, and runs backwards every other cycle of rounds, so that no call always follows the same neighbour
     * (whose leftovers in caches or clocks it would meet). The measuring budget applies to each call on its own: a call
     * whose measured runs have taken that long sits out the further rounds (all take part in the first), so that a
     * backend of seconds per call does not cut the runs of the fast ones; a round without any call ends the measuring.
     *
     * <p>A call that throws (in warm-up or in a round) drops out, reported with what it threw; the others go on.
     *
     * @param calls the calls, at least one
     * @return each call's times, in the order of {@code calls}
     */
    public List<CallTimes> timeInterleaved(List<Runnable> calls) {
        Objects.requireNonNull(calls, "calls");
        List<Runnable> timed = List.copyOf(calls);
        if (timed.isEmpty()) {
            throw new IllegalArgumentException("calls: " + calls + " is empty");
        }
        int count = timed.size();
        RuntimeException[] failures = new RuntimeException[count];
        if (warmupCalls > 0) {
            for (int i = 0; i < count; i++) {
                try {
                    warmUp(timed.get(i));
                } catch (RuntimeException e) {
                    failures[i] = e;
                }
            }
        }
        double[][] seconds = new double[count][measuredRuns];
        int[] runs = new int[count];
        double budget = measuringBudget.getSeconds() + measuringBudget.getNano() * 1e-9;
        double[] spent = new double[count];
        boolean anyTakingPart = true;
        for (int round = 0; round < measuredRuns && anyTakingPart; round++) {
            anyTakingPart = false;
            for (int i : roundOrder(count, round)) {
                if (failures[i] == null && (round == 0 || spent[i] < budget)) {
                    try {
                        seconds[i][runs[i]] = timedCall(timed.get(i));
                        spent[i] += seconds[i][runs[i]++];
                        anyTakingPart = true;
                    } catch (RuntimeException e) {
                        failures[i] = e;
                    }
                }
            }
        }
        return IntStream.range(0, count).mapToObj(i -> new CallTimes(Arrays.copyOf(seconds[i], runs[i]), failures[i])).toList();
    }

    /** The order of the calls in a round: rotated by one each round, backwards in every other cycle of {@code count} rounds. */
    private static int[] roundOrder(int count, int round) {
        boolean backwards = round / count % 2 == 1;
        return IntStream.range(0, count).map(j -> (round + j) % count).map(i -> backwards ? count - 1 - i : i).toArray();
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
