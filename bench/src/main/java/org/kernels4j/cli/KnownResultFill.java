package org.kernels4j.cli;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongToDoubleFunction;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.ReduceOp;

/**
 * Per-rank benchmark inputs whose collective results are known exactly, in every dtype and for every
 * algorithm, so that a benchmark can count wrong elements (nccl-tests' #wrong) without a reference run:
 * small integers whose partial sums stay within ±2·ranks (exact in BF16 up to {@link #MAX_RANKS} ranks),
 * products of ±1 and one ±2, and maxima/minima of integers in [−30, 30]. AVG's expected value is the exact
 * sum divided in FP32 and rounded once to the dtype, which is how the reduction defines it. Integer dtypes
 * wrap as the collectives do.
 *
 * <p>Values repeat every {@link #PERIOD} elements, so a buffer of any size is filled by computing one
 * period and copying it.
 */
final class KnownResultFill {
    /** Partial sums reach ±2·ranks; BF16 holds every integer up to 256 exactly. */
    static final int MAX_RANKS = 128;
    /** lcm(5, 12, 61): the periods of the patterns below. */
    static final int PERIOD = 3660;

    private KnownResultFill() {
    }

    /** Rank {@code rank}'s element {@code index} for a reduction by {@code op}, or for a collective that moves data when {@code op} is null. */
    static int input(ReduceOp op, int rank, long index) {
        int i = (int) (index % PERIOD);
        if (op == null) {
            return spread(rank, i);
        }
        return switch (op) {
            case SUM, AVG -> Math.floorMod(i + 3 * rank, 5) - 2;
            case PROD -> ((i + rank) % 4 == 0 ? -1 : 1) * (rank == 0 && i % 3 == 1 ? 2 : 1);
            case MAX, MIN -> spread(rank, i);
        };
    }

    /** Element {@code index} of the reduction by {@code op} of every rank's {@link #input}, as stored in {@code dtype}. */
    static double reduced(ReduceOp op, int ranks, long index, DType dtype) {
        Objects.requireNonNull(op, "op");
        int result = input(op, 0, index);
        for (int rank = 1; rank < ranks; rank++) {
            int x = input(op, rank, index);
            result = switch (op) {
                case SUM, AVG -> result + x;
                case PROD -> result * x;
                case MAX -> Math.max(result, x);
                case MIN -> Math.min(result, x);
            };
        }
        return op == ReduceOp.AVG ? (double) ((float) result / ranks) : dtype.round(result);
    }

    /**
     * Sets element k of {@code segment}, {@code count} packed elements of {@code dtype}, to
     * {@code valueAt(firstIndex + k)}; {@code valueAt} must repeat every {@link #PERIOD}.
     */
    static void fill(DType dtype, MemorySegment segment, long count, long firstIndex, LongToDoubleFunction valueAt) {
        long written = Math.min(count, PERIOD);
        for (long k = 0; k < written; k++) {
            dtype.write(segment, k, valueAt.applyAsDouble(firstIndex + k));
        }
        long size = dtype.byteSize();
        while (written < count) {
            long copied = Math.min(written, count - written);
            MemorySegment.copy(segment, 0, segment, written * size, copied * size);
            written += copied;
        }
    }

    /** Elements of {@code actual} whose bits differ from {@code expected}'s (same dtype and count). */
    static long wrongElements(Tensor actual, Tensor expected) {
        if (actual.dtype() != expected.dtype() || actual.elementCount() != expected.elementCount()) {
            throw new IllegalArgumentException("actual: " + actual + " does not match expected " + expected);
        }
        long size = actual.dtype().byteSize();
        long bytes = actual.elementCount() * size;
        MemorySegment a = actual.segment().asSlice(0, bytes);
        MemorySegment e = expected.segment().asSlice(0, bytes);
        long wrong = 0;
        long from = 0;
        long mismatch;
        while (from < bytes && (mismatch = a.asSlice(from).mismatch(e.asSlice(from))) != -1) {
            wrong++;
            from = ((from + mismatch) / size + 1) * size;
        }
        return wrong;
    }

    private static int spread(int rank, int i) {
        return Math.floorMod(7 * i + 13 * rank, 61) - 30;
    }
}
