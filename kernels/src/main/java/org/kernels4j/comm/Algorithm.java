package org.kernels4j.comm;

/**
 * How an all-reduce moves data. Reduce-scatter and all-gather always use the ring, broadcast and
 * reduce always the binomial tree; this choice applies to all-reduce.
 *
 * <p>Immutable and thread-safe.
 */
public enum Algorithm {
    /**
     * {@link #RECURSIVE_DOUBLING} up to {@link #SMALL_MESSAGE_BYTES}; above, {@link #HALVING_DOUBLING} for
     * a power-of-two rank count of 4 or more, else {@link #RING} (for 2 ranks the two are the same steps).
     */
    AUTO,
    /** Reduce-scatter then all-gather around a ring: 2(n−1)/n of the buffer per rank, 2(n−1) steps. */
    RING,
    /** Pairwise exchange of the whole buffer, log2(n) steps (plus two for a non-power-of-two n). */
    RECURSIVE_DOUBLING,
    /**
     * Rabenseifner's recursive-halving reduce-scatter then recursive-doubling all-gather: the ring's 2(n−1)/n
     * of the buffer per rank in 2·log2(n) pairwise steps. Power-of-two rank counts only; others run {@link #RING}.
     */
    HALVING_DOUBLING,
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
        boolean powerOfTwo = HalvingDoubling.supports(ranks);
        return switch (this) {
            case AUTO -> bytes <= SMALL_MESSAGE_BYTES ? RECURSIVE_DOUBLING : powerOfTwo && ranks >= 4 ? HALVING_DOUBLING : RING;
            case HALVING_DOUBLING -> powerOfTwo ? HALVING_DOUBLING : RING;
            case RING, RECURSIVE_DOUBLING, TREE -> this;
        };
    }
}
