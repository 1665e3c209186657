package org.kernels4j.cli;

import java.io.PrintStream;

/**
 * "[12/176] vector-cpu FP16 33×17×127" rewritten in place on stderr while long work runs, when a
 * person is watching; silent otherwise, so that logs and tests see only results.
 */
final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private final int total;
    private int done;
    private int lastLength;

    Progress(PrintStream err, boolean enabled, int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total: " + total + " is negative");
        }
        this.err = err;
        this.enabled = enabled;
        this.total = total;
    }

    /** Announces the next step. */
    void step(String what) {
        done++;
        if (enabled) {
            String line = "[" + done + "/" + total + "] " + what;
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            err.flush();
            lastLength = line.length();
        }
    }

    /** Clears the progress line. */
    void finish() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
