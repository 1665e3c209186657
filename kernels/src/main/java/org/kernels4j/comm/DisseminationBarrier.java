package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;

/**
 * Dissemination barrier: in round k every rank signals rank + 2^k and waits for rank − 2^k, so after
 * ceil(log2(n)) rounds each rank has heard, transitively, from all. Works for any n. Stateless.
 */
final class DisseminationBarrier {
    private DisseminationBarrier() {
    }

    static void await(CollectiveCall call) {
        int n = call.size();
        int rank = call.rank();
        for (int distance = 1; distance < n; distance <<= 1) {
            call.sendReceive((rank + distance) % n, MemorySegment.NULL, 0, 0,
                    Math.floorMod(rank - distance, n), MemorySegment.NULL, 0, 0);
        }
    }
}
