package org.kernels4j.comm;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings fixed when a communicator is created.
 *
 * <p>Immutable and thread-safe.
 *
 * @param timeout   how long one collective may take on this rank, from when it starts running, before
 *                  it fails and poisons the communicator
 * @param algorithm the all-reduce algorithm unless a call names one
 * @param reducer   the element-wise reduction step (a SIMD one when a backend offers it)
 */
public record CommunicatorOptions(Duration timeout, Algorithm algorithm, Reducer reducer) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public CommunicatorOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " is not positive");
        }
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(reducer, "reducer");
    }

    /** Five minutes, automatic algorithm choice, scalar reducer. */
    public static CommunicatorOptions defaults() {
        return new CommunicatorOptions(DEFAULT_TIMEOUT, Algorithm.AUTO, ScalarReducer.INSTANCE);
    }

    public CommunicatorOptions withTimeout(Duration newTimeout) {
        return new CommunicatorOptions(newTimeout, algorithm, reducer);
    }

    public CommunicatorOptions withAlgorithm(Algorithm newAlgorithm) {
        return new CommunicatorOptions(timeout, newAlgorithm, reducer);
    }

    public CommunicatorOptions withReducer(Reducer newReducer) {
        return new CommunicatorOptions(timeout, algorithm, newReducer);
    }
}
