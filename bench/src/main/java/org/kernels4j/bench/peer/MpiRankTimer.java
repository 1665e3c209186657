package org.kernels4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.bench.Timing;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * Times a collective call on every rank of an MPI job alike, so that ours and the MPI peer are measured
 * the same way in the same run: each call starts right after an {@code MPI_Barrier}, and a call's time
 * is that of the slowest rank (a collective is done when the last rank is), so every rank returns the
 * same {@link Timing}. Warm-up is a fixed number of calls, because every rank must make the same calls.
 *
 * <p>Call it on every rank with the same arguments. Immutable and thread-safe; the timed call runs on
 * the caller's thread.
 *
 * @param warmupCalls  untimed calls first (JIT compilation, first-touch of the buffers)
 * @param measuredRuns timed calls, at least 1
 */
public record MpiRankTimer(int warmupCalls, int measuredRuns) {
    public MpiRankTimer {
        if (warmupCalls < 0) {
            throw new IllegalArgumentException("warmupCalls: " + warmupCalls + " is negative");
        }
        if (measuredRuns < 1) {
            throw new IllegalArgumentException("measuredRuns: " + measuredRuns + " is less than 1");
        }
    }

    public Timing time(MpiWorld world, Runnable call) {
        return timeAlternating(world, List.of(call)).get(0);
    }

    /**
     * Times several calls in turn, one run of each per round, so that a change in the machine's load
     * (other processes, frequency) falls on all of them alike: the fair way to compare ours with the peer.
     */
    public List<Timing> timeAlternating(MpiWorld world, List<Runnable> calls) {
        Objects.requireNonNull(world, "world");
        Objects.requireNonNull(calls, "calls");
        if (calls.isEmpty() || calls.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("calls: " + calls.size() + " calls, none may be null and at least one is needed");
        }
        for (Runnable call : calls) {
            for (int i = 0; i < warmupCalls; i++) {
                call.run();
            }
        }
        int total = calls.size() * measuredRuns;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mine = arena.allocate(ValueLayout.JAVA_FLOAT, total);
            for (int run = 0; run < measuredRuns; run++) {
                for (int c = 0; c < calls.size(); c++) {
                    world.library().barrier();
                    long start = System.nanoTime();
                    calls.get(c).run();
                    mine.setAtIndex(ValueLayout.JAVA_FLOAT, (long) c * measuredRuns + run, (float) ((System.nanoTime() - start) * 1e-9));
                }
            }
            MemorySegment slowest = arena.allocate(ValueLayout.JAVA_FLOAT, total);
            world.library().allReduce(mine, slowest, total, DType.FP32, ReduceOp.MAX);
            List<Timing> timings = new ArrayList<>();
            for (int c = 0; c < calls.size(); c++) {
                double[] seconds = new double[measuredRuns];
                for (int run = 0; run < measuredRuns; run++) {
                    seconds[run] = slowest.getAtIndex(ValueLayout.JAVA_FLOAT, (long) c * measuredRuns + run);
                }
                timings.add(new Timing(seconds));
            }
            return timings;
        }
    }
}
