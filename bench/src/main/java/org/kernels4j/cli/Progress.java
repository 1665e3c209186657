package org.kernels4j.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * "[#######·············] 12/176  1m20s left  vector-cpu FP16 33×17×127" rewritten in place on stderr while long
 * work runs, when a person is watching; silent otherwise, so that logs and tests see only results. The time left
 * assumes the remaining steps take as long on average as the ones done so far.
 */
final class Progress {
    static final int BAR_WIDTH = 20;

    private final PrintStream err;
    private final boolean enabled;
    private final int total;
    private final long startNanos = System.nanoTime();
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
        if (enabled) {
            String line = line(done, total, System.nanoTime() - startNanos, what);
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            err.flush();
            lastLength = line.length();
        }
        done++;
    }

    /** Clears the progress line. */
    void finish() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }

    /** The line shown when {@code done} of {@code total} steps took {@code elapsedNanos} and {@code what} starts. */
    static String line(int done, int total, long elapsedNanos, String what) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
        String left = done == 0 ? "" : "  " + duration(elapsedNanos * 1e-9 / done * (total - done)) + " left";
        return "[" + "#".repeat(filled) + "·".repeat(BAR_WIDTH - filled) + "] " + (done + 1) + "/" + total + left + "  " + what;
    }

    /** "45s", "3m05s", "1h02m". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
