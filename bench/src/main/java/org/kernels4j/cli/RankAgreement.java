package org.kernels4j.cli;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Communicator;

/**
 * Whether every rank holds the same bits: rank 0 broadcasts its result, each rank compares its own with
 * it, and the verdicts are gathered. Runs through the communicator itself, so that ranks in separate
 * processes can check each other as well as threads can.
 */
final class RankAgreement {
    private RankAgreement() {
    }

    /**
     * The ranks whose {@code result} differs in any bit from rank 0's, in rank order; the same list on
     * every rank. A collective call: every rank must call it, with results of the same dtype and count.
     */
    static List<Integer> ranksDifferingFromRankZero(Communicator communicator, Tensor result) {
        Objects.requireNonNull(communicator, "communicator");
        Objects.requireNonNull(result, "result");
        if (!result.isContiguous()) {
            throw new IllegalArgumentException("result: " + result + " is not contiguous");
        }
        long count = result.elementCount();
        try (Tensor rankZeros = Tensor.allocate(result.dtype(), count);
             Tensor mine = Tensor.allocate(DType.INT32, 1);
             Tensor everyones = Tensor.allocate(DType.INT32, communicator.size())) {
            MemorySegment.copy(bytes(result), 0, rankZeros.segment(), 0, bytes(result).byteSize());
            communicator.broadcast(rankZeros, 0);
            mine.set(bytes(result).mismatch(bytes(rankZeros)) == -1 ? 0 : 1, 0);
            communicator.allGather(mine, everyones);
            List<Integer> differing = new ArrayList<>();
            for (int rank = 0; rank < communicator.size(); rank++) {
                if (everyones.get(rank) != 0) {
                    differing.add(rank);
                }
            }
            return List.copyOf(differing);
        }
    }

    private static MemorySegment bytes(Tensor tensor) {
        return tensor.segment().asSlice(0, tensor.elementCount() * tensor.dtype().byteSize());
    }
}
