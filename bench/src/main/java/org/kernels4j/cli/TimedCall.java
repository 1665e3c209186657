package org.kernels4j.cli;

import java.util.Objects;
import java.util.function.Supplier;
import org.kernels4j.bench.CallTimes;
import org.kernels4j.bench.Timing;

/**
 * A timing, or the message of what the timed implementation threw: a throwing backend or peer gets a FAILED row (or a
 * note) and the benchmark goes on.
 *
 * @param timing  the timing; null when the call threw
 * @param failure what it threw; "" when it did not
 */
record TimedCall(Timing timing, String failure) {
    TimedCall {
        Objects.requireNonNull(failure, "failure");
    }

    static TimedCall of(Supplier<Timing> timed) {
        Objects.requireNonNull(timed, "timed");
        try {
            return new TimedCall(timed.get(), "");
        } catch (RuntimeException e) {
            return new TimedCall(null, String.valueOf(e));
        }
    }

    /** The timing of one of several calls timed together, or what it threw. */
    static TimedCall of(CallTimes times) {
        Objects.requireNonNull(times, "times");
        return times.failed() ? new TimedCall(null, String.valueOf(times.failure())) : new TimedCall(times.timing(), "");
    }
}
