package org.kernels4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        Objects.requireNonNull(world, "world");
        Objects.requireNonNull(call, "call");
        for (int i = 0; i < warmupCalls; i++) {
            call.run();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mine = arena.allocate(ValueLayout.JAVA_FLOAT, measuredRuns);
            for (int i = 0; i < measuredRuns; i++) {
                world.library().barrier();
                long start = System.nanoTime();
                call.run();
                mine.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) ((System.nanoTime() - start) * 1e-9));
            }
            MemorySegment slowest = arena.allocate(ValueLayout.JAVA_FLOAT, measuredRuns);
            world.library().allReduce(mine, slowest, measuredRuns, DType.FP32, ReduceOp.MAX);
            double[] seconds = new double[measuredRuns];
            for (int i = 0; i < measuredRuns; i++) {
                seconds[i] = slowest.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            }
            return new Timing(seconds);
        }
    }
}
