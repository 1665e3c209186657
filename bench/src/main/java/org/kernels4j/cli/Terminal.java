package org.kernels4j.cli;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Where a command writes: results to {@code out}, diagnostics and progress to {@code err}.
 *
 * @param out         results (tables, the "ran on" line)
 * @param err         messages and progress
 * @param interactive true when a person watches (stderr is a terminal): only then is progress shown
 */
record Terminal(PrintStream out, PrintStream err, boolean interactive) {
    Terminal {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** A progress line for {@code total} steps, shown only when interactive. */
    Progress progress(int total) {
        return new Progress(err, interactive, total);
    }
}
