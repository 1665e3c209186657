package org.kernels4j.comm;

/**
 * How an all-reduce moves data. Reduce-scatter and all-gather always use the ring, broadcast and
 * reduce always the binomial tree; this choice applies to all-reduce.
 *
 * <p>Immutable and thread-safe.
 */
public enum Algorithm {
    /** {@link #RECURSIVE_DOUBLING} up to {@link #SMALL_MESSAGE_BYTES}, {@link #RING} above. */
    AUTO,
    /** Reduce-scatter then all-gather around a ring: 2(n−1)/n of the buffer per rank, 2(n−1) steps. */
    RING,
    /** Pairwise exchange of the whole buffer, log2(n) steps (plus two for a non-power-of-two n). */
    RECURSIVE_DOUBLING,
    /** Binomial-tree reduce to rank 0, then binomial-tree broadcast: 2·log2(n) steps. */
    TREE;

    /**
     * Where AUTO switches from recursive doubling (fewer steps, log2(n) whole buffers per rank) to the
     * ring (bandwidth-optimal). The usual order of magnitude (MPICH, NCCL use tens of KiB to a few
     * hundred KiB); to be tuned by the all-reduce benchmark.
     */
    public static final long SMALL_MESSAGE_BYTES = 64 * 1024;

    /** The concrete algorithm that runs an all-reduce of {@code bytes} per rank over {@code ranks} ranks. */
    public Algorithm forAllReduce(long bytes, int ranks) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " is negative");
        }
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks: " + ranks + " is less than 1");
        }
        if (this != AUTO) {
            return this;
        }
        return bytes <= SMALL_MESSAGE_BYTES ? RECURSIVE_DOUBLING : RING;
    }
}
