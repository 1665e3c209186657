package org.kernels4j.comm;

import java.util.List;
import java.util.Objects;

/**
 * A collective failed: a peer failed or closed, did not arrive within the timeout, or called a
 * different collective. The message names the collective, the rank that reports and the rank(s) to
 * blame; {@link #ranks()} lists the latter. After it the communicator is poisoned.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class CollectiveException extends RuntimeException {
    private final List<Integer> ranks;

    public CollectiveException(String message, List<Integer> ranks, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.ranks = List.copyOf(Objects.requireNonNull(ranks, "ranks"));
    }

    /** The ranks that failed, stalled or disagreed, as far as the reporting rank can tell. */
    public List<Integer> ranks() {
        return ranks;
    }
}
