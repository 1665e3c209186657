package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.io.NpyArray;

/**
 * What {@code k4j run allreduce} asks of every rank, checked before any rank starts: rank r reads
 * {@code inputs.get(r)}, converts it to {@code dtype}, all-reduces it and checks that every rank got the
 * same bits. {@link #onRank} needs nothing but the rank's communicator, so that a thread of the local
 * transport and an MPI process run the very same code.
 *
 * @param inputs one .npy file per rank, all with the same shape and data that fits {@code dtype}
 */
record AllReduceJob(List<Path> inputs, DType dtype, ReduceOp op, Algorithm algorithm) {
    AllReduceJob {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: at least one rank's input is needed");
        }
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(op, "op");
        op.checkSupports(dtype);
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /**
     * One rank's result: its reduced tensor (owned; close it), how long its all-reduce took, and the ranks
     * whose results differ from rank 0's (the same list on every rank).
     */
    record RankResult(Tensor reduced, double seconds, List<Integer> ranksDifferingFromRankZero) implements AutoCloseable {
        @Override
        public void close() {
            reduced.close();
        }
    }

    /** Rank {@code communicator.rank()}'s part: read my input, all-reduce it, check agreement, return my result. */
    RankResult onRank(Communicator communicator) throws IOException {
        if (communicator.size() != inputs.size()) {
            throw new IllegalArgumentException("communicator: " + communicator.size() + " ranks for " + inputs.size() + " inputs");
        }
        try (NpyArray file = NpyInput.read("in", inputs.get(communicator.rank()));
             Tensor in = file.toTensor(dtype)) {
            Tensor out = Tensor.allocate(dtype, file.shape());
            try {
                // Reading files takes the ranks different times; the clock should see only the collective.
                communicator.barrier();
                long start = System.nanoTime();
                communicator.allReduce(in, out, op, algorithm);
                double seconds = (System.nanoTime() - start) * 1e-9;
                return new RankResult(out, seconds, RankAgreement.ranksDifferingFromRankZero(communicator, out));
            } catch (RuntimeException | Error e) {
                out.close();
                throw e;
            }
        }
    }
}
