package org.kernels4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.kernels4j.bench.GemmTimer;

/**
 * The options that {@code k4j bench gemm} and {@code bench conv2d} end with, and what they say: the peer measured in
 * the same run, the warm-up and measured calls per point, and the results file.
 */
final class BenchRunOptions {
    /**
     * Warm-up lasts at least this long and at most {@link #MAX_WARMUP}, until the speed settles (see
     * {@link GemmTimer}): with a fixed 0.5 s, and even 1 s on a loaded machine, the first point of a run
     * here (FP32 at 512, vector-cpu) still ran at a tenth of its speed.
     */
    static final Duration MIN_WARMUP = Duration.ofSeconds(1);
    static final Duration MAX_WARMUP = Duration.ofSeconds(10);

    private BenchRunOptions() {
    }

    /** Declares --peer (the library named {@code peer}, or none), --reps, --warmup (default {@code warmupCalls}) and --json. */
    static OptionParser declare(OptionParser parser, String peer, int warmupCalls) {
        Objects.requireNonNull(peer, "peer");
        return parser
                .value("peer", peer + "|none", "peer measured in the same run (default: " + peer + " when available)")
                .value("reps", "N", "measured runs per point (default 5)")
                .value("warmup", "N", "warm-up: at least N runs and 1 s, until the speed settles, at most 10 s (default "
                        + warmupCalls + "; 0: none)")
                .value("json", "FILE", "also write the rows as JSON");
    }

    /** --json, checked to be writable; null without it. */
    static Path json(Options options) {
        return options.has("json") ? OutputPath.checked("json", options.optionalPath("json")) : null;
    }

    /** Whether --peer requires {@code peer}, refuses it ("none"), or (absent) uses it when available. */
    static GemmBench.PeerUse peer(Options options, String peer) {
        String value = options.string("peer", null);
        if (value == null) {
            return GemmBench.PeerUse.IF_AVAILABLE;
        }
        if (value.equals(peer)) {
            return GemmBench.PeerUse.REQUIRED;
        }
        if (value.equals("none")) {
            return GemmBench.PeerUse.NONE;
        }
        throw new BadInputException("--peer: unknown peer '" + value + "' (" + peer + " or none)");
    }

    /** The timer that --warmup (default {@code warmupCalls}) and --reps ask for. */
    static GemmTimer timer(Options options, int warmupCalls) {
        return new GemmTimer(options.intValue("warmup", warmupCalls, 0), MIN_WARMUP, MAX_WARMUP, options.intValue("reps", 5, 1));
    }
}
