package org.kernels4j.cli;

import java.util.Locale;
import java.util.function.LongToDoubleFunction;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.bench.peer.MpiCollectivePeer;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.ReduceOp;

/**
 * The collectives {@code k4j bench} measures, with nccl-tests' conventions: a point's size is the larger
 * buffer of the call (all-reduce and broadcast: the buffer; reduce-scatter: each rank's input of n blocks;
 * all-gather: the gathered output of n blocks), its count that size in elements, and the bus bandwidth
 * the algorithm bandwidth (size / time) times a factor that makes it comparable with the hardware's peak:
 * 2(n−1)/n for all-reduce, (n−1)/n for reduce-scatter and all-gather, 1 for broadcast.
 */
enum BenchedCollective {
    ALL_REDUCE(true, false),
    REDUCE_SCATTER(true, false),
    ALL_GATHER(false, false),
    BROADCAST(false, true);

    private final boolean reduces;
    private final boolean hasRoot;

    BenchedCollective(boolean reduces, boolean hasRoot) {
        this.reduces = reduces;
        this.hasRoot = hasRoot;
    }

    /** "allreduce", "reducescatter", "allgather", "broadcast" (nccl-tests' binary names without "_perf"). */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    boolean reduces() {
        return reduces;
    }

    boolean hasRoot() {
        return hasRoot;
    }

    /** What the size of a point means for this collective, for the usage text. */
    String sizeMeaning() {
        return switch (this) {
            case ALL_REDUCE -> "each rank's buffer";
            case REDUCE_SCATTER -> "each rank's input of n blocks (its output is size/n), as in nccl-tests";
            case ALL_GATHER -> "the gathered output of n blocks (each rank sends size/n), as in nccl-tests";
            case BROADCAST -> "the broadcast buffer";
        };
    }

    double busBandwidthFactor(int ranks) {
        return switch (this) {
            case ALL_REDUCE -> 2.0 * (ranks - 1) / ranks;
            case REDUCE_SCATTER, ALL_GATHER -> (double) (ranks - 1) / ranks;
            case BROADCAST -> 1;
        };
    }

    /** Elements of a point of {@code bytes}: reduce-scatter and all-gather round down to whole blocks of n (possibly 0). */
    long count(long bytes, DType dtype, int ranks) {
        long elements = bytes / dtype.byteSize();
        return switch (this) {
            case ALL_REDUCE, BROADCAST -> elements;
            case REDUCE_SCATTER, ALL_GATHER -> elements / ranks * ranks;
        };
    }

    /** The algorithm that runs a point of {@code bytes}: {@code chosen} resolved for all-reduce; the fixed ones otherwise. */
    Algorithm algorithm(Algorithm chosen, long bytes, int ranks) {
        return switch (this) {
            case ALL_REDUCE -> chosen.forAllReduce(bytes, ranks);
            case REDUCE_SCATTER, ALL_GATHER -> Algorithm.RING;
            case BROADCAST -> Algorithm.TREE;
        };
    }

    /** The MPI function that is this collective's peer, e.g. {@code MPI_Allreduce}. */
    String mpiRoutine() {
        return MpiCollectivePeer.routine(switch (this) {
            case ALL_REDUCE -> Collective.ALL_REDUCE;
            case REDUCE_SCATTER -> Collective.REDUCE_SCATTER;
            case ALL_GATHER -> Collective.ALL_GATHER;
            case BROADCAST -> Collective.BROADCAST;
        });
    }

    /** MPI's own call on {@code buffers} (made by {@link #buffers} with the same {@code op} and {@code root}): the peer of {@link Buffers#call}. */
    Runnable mpiCall(MpiCollectivePeer mpi, Buffers buffers, ReduceOp op, int root) {
        return switch (this) {
            case ALL_REDUCE -> () -> mpi.allReduce(buffers.input(), buffers.output(), op);
            case REDUCE_SCATTER -> () -> mpi.reduceScatter(buffers.input(), buffers.output(), op);
            case ALL_GATHER -> () -> mpi.allGather(buffers.input(), buffers.output());
            case BROADCAST -> () -> mpi.broadcast(buffers.output(), root);
        };
    }

    /**
     * One rank's buffers for a point of {@code count} elements, filled with {@link KnownResultFill}'s inputs,
     * with the result the call must leave in them.
     */
    Buffers buffers(int rank, int ranks, DType dtype, ReduceOp op, int root, Algorithm algorithm, long count) {
        long block = count / ranks;
        return switch (this) {
            case ALL_REDUCE -> {
                Tensor in = filled(dtype, count, 0, i -> KnownResultFill.input(op, rank, i));
                Tensor out = Tensor.allocate(dtype, count);
                Tensor expected = filled(dtype, count, 0, i -> KnownResultFill.reduced(op, ranks, i, dtype));
                yield new Buffers(in, out, expected, communicator -> communicator.allReduce(in, out, op, algorithm));
            }
            case REDUCE_SCATTER -> {
                Tensor in = filled(dtype, count, 0, i -> KnownResultFill.input(op, rank, i));
                Tensor out = Tensor.allocate(dtype, block);
                Tensor expected = filled(dtype, block, rank * block, i -> KnownResultFill.reduced(op, ranks, i, dtype));
                yield new Buffers(in, out, expected, communicator -> communicator.reduceScatter(in, out, op));
            }
            case ALL_GATHER -> {
                Tensor in = filled(dtype, block, 0, i -> KnownResultFill.input(null, rank, i));
                Tensor out = Tensor.allocate(dtype, count);
                Tensor expected = Tensor.allocate(dtype, count);
                long blockBytes = block * dtype.byteSize();
                for (int r = 0; r < ranks; r++) {
                    int owner = r;
                    KnownResultFill.fill(dtype, expected.segment().asSlice(r * blockBytes, blockBytes), block, 0,
                            i -> KnownResultFill.input(null, owner, i));
                }
                yield new Buffers(in, out, expected, communicator -> communicator.allGather(in, out));
            }
            case BROADCAST -> {
                Tensor buffer = filled(dtype, count, 0, i -> KnownResultFill.input(null, rank, i));
                Tensor expected = filled(dtype, count, 0, i -> KnownResultFill.input(null, root, i));
                yield new Buffers(null, buffer, expected, communicator -> communicator.broadcast(buffer, root));
            }
        };
    }

    private static Tensor filled(DType dtype, long count, long firstIndex, LongToDoubleFunction valueAt) {
        Tensor tensor = Tensor.allocate(dtype, count);
        KnownResultFill.fill(dtype, tensor.segment(), count, firstIndex, valueAt);
        return tensor;
    }

    /** The call under test, in action: one rank's input (null when it works in place), its output, and what the output must become. */
    record Buffers(Tensor input, Tensor output, Tensor expected, Call call) implements AutoCloseable {
        @FunctionalInterface
        interface Call {
            void run(Communicator communicator);
        }

        long wrongElements() {
            return KnownResultFill.wrongElements(output, expected);
        }

        @Override
        public void close() {
            if (input != null) {
                input.close();
            }
            output.close();
            expected.close();
        }
    }
}
