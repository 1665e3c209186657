package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;

/**
 * Recursive-doubling all-reduce: in log2(p) rounds partners at distance 1, 2, 4, … exchange their whole
 * buffers and both reduce. For a rank count n that is not a power of two p, the first 2(n − p) ranks
 * pair up first (each even one hands its data to the odd one after it and sits out), and get the
 * result back at the end (MPICH's scheme).
 *
 * <p>Partners combine in opposite operand order; the {@link Reducer} contract (commutative to the bit)
 * keeps all ranks identical. Stateless.
 */
final class RecursiveDoubling {
    private RecursiveDoubling() {
    }

    /** In-place all-reduce of {@code count} elements of {@code buffer}. */
    static void allReduce(CollectiveCall call, MemorySegment buffer, long count) {
        int n = call.size();
        int rank = call.rank();
        int powerOfTwo = Integer.highestOneBit(n);
        int extra = n - powerOfTwo;
        long bytes = call.bytesOf(count);
        MemorySegment incoming = call.allocateScratch(bytes);

        boolean paired = rank < 2 * extra;
        boolean sitsOut = paired && rank % 2 == 0;
        if (sitsOut) {
            call.send(rank + 1, buffer, 0, bytes);
        } else {
            if (paired) {
                call.receive(rank - 1, incoming, 0, bytes);
                call.reduce(incoming, 0, buffer, 0, count);
            }
            int groupRank = paired ? rank / 2 : rank - extra;
            for (int distance = 1; distance < powerOfTwo; distance <<= 1) {
                int partnerGroupRank = groupRank ^ distance;
                int partner = partnerGroupRank < extra ? 2 * partnerGroupRank + 1 : partnerGroupRank + extra;
                call.sendReceive(partner, buffer, 0, bytes, partner, incoming, 0, bytes);
                call.reduce(incoming, 0, buffer, 0, count);
            }
            call.finishAverage(buffer, 0, count);
        }
        if (paired) {
            if (sitsOut) {
                call.receive(rank + 1, buffer, 0, bytes);
            } else {
                call.send(rank - 1, buffer, 0, bytes);
            }
        }
    }
}
