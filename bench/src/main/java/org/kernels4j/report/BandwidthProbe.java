package org.kernels4j.report;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures main-memory bandwidth the way STREAM does: copy ({@code a[i] = b[i]}) and triad
 * ({@code a[i] = b[i] + s·c[i]}) over three off-heap float arrays, each split into one contiguous chunk per
 * thread, repeated; the best repetition counts (the least disturbed one), as in STREAM. The arrays must be
 * much larger than the last-level cache (STREAM asks for four times the caches), otherwise this measures a cache.
 *
 * @param arrayBytes  size of each of the three arrays
 * @param threads     threads that share the work
 * @param repetitions repetitions of each kernel
 */
public record BandwidthProbe(long arrayBytes, int threads, int repetitions) {
    private static final float SCALAR = 3f;

    public BandwidthProbe {
        if (arrayBytes < 4L * threads || arrayBytes % Float.BYTES != 0) {
            throw new IllegalArgumentException("arrayBytes: " + arrayBytes + " must be a multiple of 4 with at least one float per thread");
        }
        Fields.atLeast("threads", threads, 1);
        Fields.atLeast("repetitions", repetitions, 1);
    }

    /** Arrays of four times the caches (at least 64 MiB), but at most 1 GiB and an eighth of the memory each. */
    public static long arrayBytesFor(Cpu cpu, long memoryBytes) {
        long caches = cpu.caches().stream().mapToLong(c -> c.bytes() * Math.max(1, cpu.logicalProcessors() / c.sharedBy())).sum();
        long wanted = Math.max(64L << 20, 4 * caches);
        long limit = memoryBytes > 0 ? Math.min(1L << 30, memoryBytes / 8) : 1L << 30;
        return Math.min(wanted, limit) / 4096 * 4096;
    }

    public MemoryBandwidth measure() {
        long floats = arrayBytes / Float.BYTES;
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment a = arena.allocate(arrayBytes, 64);
            MemorySegment b = arena.allocate(arrayBytes, 64);
            MemorySegment c = arena.allocate(arrayBytes, 64);
            // Touch every page from the threads that will use it (first-touch placement), and give triad real data.
            run(pool, floats, (from, to) -> {
                for (long i = from; i < to; i++) {
                    b.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, i, 2f);
                }
                a.asSlice(from * Float.BYTES, (to - from) * Float.BYTES).fill((byte) 0);
            });
            double bestCopy = Double.POSITIVE_INFINITY;
            double bestTriad = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repetitions; r++) {
                bestCopy = Math.min(bestCopy, run(pool, floats,
                        (from, to) -> MemorySegment.copy(b, from * Float.BYTES, a, from * Float.BYTES, (to - from) * Float.BYTES)));
                bestTriad = Math.min(bestTriad, run(pool, floats, (from, to) -> triad(a, b, c, from, to)));
            }
            return new MemoryBandwidth(2.0 * arrayBytes / bestCopy * 1e-9, 3.0 * arrayBytes / bestTriad * 1e-9,
                    arrayBytes, threads, repetitions);
        }
    }

    private static void triad(MemorySegment a, MemorySegment b, MemorySegment c, long from, long to) {
        for (long i = from; i < to; i++) {
            a.setAtIndex(ValueLayout.JAVA_FLOAT, i,
                    b.getAtIndex(ValueLayout.JAVA_FLOAT, i) + SCALAR * c.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
    }

    private interface Chunk {
        void run(long from, long to);
    }

    /** Runs {@code chunk} on one contiguous range per thread; returns the seconds until all finished. */
    private double run(ExecutorService pool, long floats, Chunk chunk) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long from = floats * t / threads;
            long to = floats * (t + 1) / threads;
            tasks.add(() -> {
                chunk.run(from, to);
                return null;
            });
        }
        long start = System.nanoTime();
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring memory bandwidth", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("memory bandwidth kernel failed: " + e.getCause(), e.getCause());
        }
        return (System.nanoTime() - start) * 1e-9;
    }
}
