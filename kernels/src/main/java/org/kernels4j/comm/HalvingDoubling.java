package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;

/**
 * Rabenseifner's all-reduce for a power-of-two rank count n: a reduce-scatter by recursive halving
 * (partners at distance n/2, n/4, …, 1 swap the half of their current range that the other keeps, and
 * reduce the half they keep), then an all-gather by recursive doubling (the same partners in reverse
 * order swap what they own). Each rank sends 2(n−1)/n of the buffer, as in the ring, but in 2·log2(n)
 * steps instead of 2(n−1), each with one partner instead of two neighbours: fewer points where a rank
 * waits for another to be scheduled, which is what dominates on an oversubscribed machine.
 *
 * <p>The buffer is split into n blocks as in the ring ({@link BlockPartition}); block b is reduced on rank
 * b alone and then copied out, so every rank gets the same bits, and the same again for the same size and
 * rank count. Stateless.
 */
final class HalvingDoubling {
    private HalvingDoubling() {
    }

    static boolean supports(int ranks) {
        return Integer.bitCount(ranks) == 1;
    }

    /**
     * All-reduce of {@code count} elements from {@code input} into {@code output}, which may be the same
     * memory (in place) or not (then {@code input} is only read). The rank count must be a power of two.
     */
    static void allReduce(CollectiveCall call, MemorySegment input, MemorySegment output, long count) {
        int n = call.size();
        if (!supports(n)) {
            throw new IllegalArgumentException("ranks: " + n + " is not a power of two");
        }
        int rank = call.rank();
        BlockPartition blocks = new BlockPartition(count, n, call.dtype().byteSize());
        if (n == 1) {
            if (input.address() != output.address()) {
                MemorySegment.copy(input, 0, output, 0, call.bytesOf(count));
            }
            return;
        }
        boolean inPlace = input.address() == output.address();
        MemorySegment incoming = call.allocateScratch(blocks.byteOffset(n / 2));
        // After the round at distance d this rank holds, reduced over the 2^k ranks that agree with it above
        // bit d, the blocks [first, first + d) of the aligned range that contains its own block.
        MemorySegment source = input;
        for (int distance = n / 2; distance >= 1; distance >>= 1) {
            int partner = rank ^ distance;
            int first = rank & ~(2 * distance - 1);
            int kept = (rank & distance) == 0 ? first : first + distance;
            int given = kept ^ distance;
            long keptOffset = blocks.byteOffset(kept);
            long keptBytes = blocks.byteOffset(kept + distance) - keptOffset;
            long keptCount = blocks.start(kept + distance) - blocks.start(kept);
            long givenOffset = blocks.byteOffset(given);
            long givenBytes = blocks.byteOffset(given + distance) - givenOffset;
            // The first round, out of place, receives straight into the output and adds this rank's input there.
            boolean intoOutput = source == input && !inPlace;
            call.sendReceive(partner, source, givenOffset, givenBytes,
                    partner, intoOutput ? output : incoming, intoOutput ? keptOffset : 0, keptBytes);
            if (intoOutput) {
                call.reduce(input, keptOffset, output, keptOffset, keptCount);
            } else {
                call.reduce(incoming, 0, output, keptOffset, keptCount);
            }
            source = output;
        }
        call.finishAverage(output, blocks.byteOffset(rank), blocks.length(rank));
        for (int distance = 1; distance < n; distance <<= 1) {
            int partner = rank ^ distance;
            int owned = rank & ~(distance - 1);
            int missing = owned ^ distance;
            call.sendReceive(partner, output, blocks.byteOffset(owned), blocks.byteOffset(owned + distance) - blocks.byteOffset(owned),
                    partner, output, blocks.byteOffset(missing), blocks.byteOffset(missing + distance) - blocks.byteOffset(missing));
        }
    }
}
