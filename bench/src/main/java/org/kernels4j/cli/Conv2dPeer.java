package org.kernels4j.cli;

import java.util.Objects;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.report.Measurement;

/**
 * Another library's convolution, timed on the same operands and threads as ours in the same run, for the peer columns
 * of {@link ReportConv2d} and {@link Conv2dBench}. Its native resources belong to whoever opened the library.
 */
interface Conv2dPeer {
    /**
     * The peer's rate on {@code spec}, or why it has none (it cannot run the spec, or it threw).
     *
     * @param operands the operands ours run on, of {@code spec}'s shapes
     * @param timer    the warm-up and measured calls ours get
     */
    Outcome time(Conv2dSpec spec, ConvOperands operands, GemmTimer timer);

    /**
     * What timing the peer gave.
     *
     * @param result its rate; null when it has none
     * @param note   why it has none, for the row's message; "" when it has one or no peer was asked
     */
    record Outcome(Measurement.PeerResult result, String note) {
        /** No peer was asked. */
        static final Outcome NONE = new Outcome(null, "");

        public Outcome {
            Objects.requireNonNull(note, "note");
            if (result != null && !note.isEmpty()) {
                throw new IllegalArgumentException("note: '" + note + "' given with a result");
            }
        }
    }
}
