package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;

/**
 * Ring reduce-scatter and all-gather over buffers split into one block per rank; all-reduce is the two
 * in turn. Each rank sends to rank + 1 and receives from rank − 1 at every step.
 *
 * <p>Block b is reduced in a fixed order along the ring and ends on rank b alone, which then hands out
 * its bits: every rank gets the same result, and the same again for the same size and rank count.
 * Stateless.
 */
final class Ring {
    private Ring() {
    }

    /**
     * All-reduce of {@code count} elements from {@code input} into {@code output}, which may be the same
     * memory (in place) or not (then {@code input} is only read).
     */
    static void allReduce(CollectiveCall call, MemorySegment input, MemorySegment output, long count) {
        BlockPartition blocks = new BlockPartition(count, call.size(), call.dtype().byteSize());
        long ownOffset = blocks.byteOffset(call.rank());
        reduceScatter(call, input, blocks, output, ownOffset);
        call.finishAverage(output, ownOffset, blocks.length(call.rank()));
        allGather(call, output, blocks);
    }

    /**
     * Writes the reduction of every rank's block {@code rank} of {@code input} to {@code output} at byte
     * {@code outputOffset}; {@code input} is only read. In place is allowed: {@code output} may be
     * {@code input} at block {@code rank}, which is read for the last time just before it is written.
     */
    static void reduceScatter(CollectiveCall call, MemorySegment input, BlockPartition blocks,
                              MemorySegment output, long outputOffset) {
        int n = call.size();
        int rank = call.rank();
        if (n == 1) {
            MemorySegment.copy(input, blocks.byteOffset(rank), output, outputOffset, blocks.byteLength(rank));
            return;
        }
        boolean inPlace = input.asOverlappingSlice(output).isPresent();
        // Two partial-result buffers: the one filled at step s is being read by the right neighbour at
        // step s + 1 while the next partial arrives in the other.
        MemorySegment[] partials = {call.allocateScratch(blocks.maxByteLength()), call.allocateScratch(blocks.maxByteLength())};
        MemorySegment forwarded = input;
        // At step s this rank forwards the partial it made at step s − 1 (its own raw block at s = 0);
        // the block numbers are chosen so that the last partial a rank completes is its own block.
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(rank - step - 1, n);
            int receiveBlock = Math.floorMod(rank - step - 2, n);
            long length = blocks.length(receiveBlock);
            boolean last = step == n - 2;
            // The last partial goes straight into the output unless the output still holds this rank's raw block.
            boolean intoOutput = last && !inPlace;
            MemorySegment incoming = intoOutput ? output : partials[step % 2];
            long incomingOffset = intoOutput ? outputOffset : 0;
            call.sendReceive(right(call), forwarded, step == 0 ? blocks.byteOffset(sendBlock) : 0, blocks.byteLength(sendBlock),
                    left(call), incoming, incomingOffset, blocks.byteLength(receiveBlock));
            if (last && inPlace) {
                // raw op partial instead of partial op raw: every op commutes bit for bit (NaNs are canonical).
                call.reduce(incoming, 0, output, outputOffset, length);
            } else {
                call.reduce(input, blocks.byteOffset(receiveBlock), incoming, incomingOffset, length);
            }
            forwarded = incoming;
        }
    }

    /** Given block {@code rank} of {@code buffer} on every rank, fills in all the other blocks. */
    static void allGather(CollectiveCall call, MemorySegment buffer, BlockPartition blocks) {
        int n = call.size();
        int rank = call.rank();
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(rank - step, n);
            int receiveBlock = Math.floorMod(rank - step - 1, n);
            call.sendReceive(right(call), buffer, blocks.byteOffset(sendBlock), blocks.byteLength(sendBlock),
                    left(call), buffer, blocks.byteOffset(receiveBlock), blocks.byteLength(receiveBlock));
        }
    }

    private static int right(CollectiveCall call) {
        return (call.rank() + 1) % call.size();
    }

    private static int left(CollectiveCall call) {
        return (call.rank() - 1 + call.size()) % call.size();
    }
}
