package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;

/**
 * Binomial-tree broadcast and reduce, rooted anywhere: with ranks renumbered relative to the root, rank
 * v's parent is v with its lowest set bit cleared, so each takes log2(n) steps. Stateless.
 */
final class BinomialTree {
    private BinomialTree() {
    }

    /** Copies {@code count} elements of the root's {@code buffer} into every other rank's. */
    static void broadcast(CollectiveCall call, MemorySegment buffer, long count, int root) {
        int n = call.size();
        int relative = relative(call, root);
        long bytes = call.bytesOf(count);
        int distance = 1;
        while (distance < n) {
            if ((relative & distance) != 0) {
                call.receive(absolute(call, relative - distance, root), buffer, 0, bytes);
                break;
            }
            distance <<= 1;
        }
        for (distance >>= 1; distance > 0; distance >>= 1) {
            if (relative + distance < n) {
                call.send(absolute(call, relative + distance, root), buffer, 0, bytes);
            }
        }
    }

    /**
     * Reduces {@code count} elements of every rank's {@code input} into the root's {@code output} (which may
     * be {@code input}); other ranks' {@code output} is left alone. Children are combined in a fixed order.
     */
    static void reduce(CollectiveCall call, MemorySegment input, MemorySegment output, long count, int root) {
        int n = call.size();
        int relative = relative(call, root);
        long bytes = call.bytesOf(count);
        boolean hasChildren = relative % 2 == 0 && relative + 1 < n;
        MemorySegment accumulator;
        if (relative == 0) {
            accumulator = output;
            MemorySegment.copy(input, 0, accumulator, 0, bytes);
        } else if (hasChildren) {
            accumulator = call.allocateScratch(bytes);
            MemorySegment.copy(input, 0, accumulator, 0, bytes);
        } else {
            accumulator = input;
        }
        MemorySegment incoming = hasChildren ? call.allocateScratch(bytes) : null;
        for (int distance = 1; distance < n; distance <<= 1) {
            if ((relative & distance) != 0) {
                call.send(absolute(call, relative - distance, root), accumulator, 0, bytes);
                return;
            }
            if (relative + distance < n) {
                call.receive(absolute(call, relative + distance, root), incoming, 0, bytes);
                call.reduce(incoming, 0, accumulator, 0, count);
            }
        }
        call.finishAverage(accumulator, 0, count);
    }

    private static int relative(CollectiveCall call, int root) {
        return Math.floorMod(call.rank() - root, call.size());
    }

    private static int absolute(CollectiveCall call, int relative, int root) {
        return (relative + root) % call.size();
    }
}
