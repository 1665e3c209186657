package org.kernels4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an MPI job started with {@code mpirun --tag-output} prints, turned into what k4j prints: the
 * ranks' stdout (only rank 0 writes there) goes to k4j's stdout as it comes, untagged; their stderr and
 * mpirun's own messages are kept for the {@link #verdict}: on success only the ranks' k4j messages are
 * shown, on failure one line naming the rank whose k4j message came first. The JVMs' and mpirun's other
 * chatter (the incubator-module warning of every rank, mpirun's boxed reports) is shown only when
 * debugging. Thread-safe: stdout and stderr are read on different threads.
 */
final class MpiJobOutput {
    /** "[1,0]<stdout>:text": job 1, rank 0; the text as the rank wrote it, leading spaces (table alignment) included. */
    private static final Pattern TAGGED = Pattern.compile("\\[\\d+,(\\d+)\\]<(stdout|stderr)>:(.*)");
    /**
     * mpirun tags each piece it reads from a rank, not each line: on a busy machine a line can arrive in two pieces, and
     * the second piece's tag then stands in the middle of the line ("none[1,0]<stdout>: (MPI has ...").
     */
    private static final Pattern INNER_TAG = Pattern.compile("\\[\\d+,\\d+\\]<(stdout|stderr)>:");

    private final PrintStream out;
    private final List<String> messages = new ArrayList<>();
    /** The ranks' k4j messages, as k4j prints them: "k4j: rank 1: internal error: ...". */
    private final List<String> rankMessages = new ArrayList<>();

    MpiJobOutput(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** One line of the job's stdout or stderr. */
    synchronized void line(String line) {
        Objects.requireNonNull(line, "line");
        Matcher tagged = TAGGED.matcher(line);
        if (!tagged.matches()) {
            messages.add(line);
            return;
        }
        String text = INNER_TAG.matcher(tagged.group(3)).replaceAll("");
        if (tagged.group(2).equals("stdout")) {
            out.println(text);
            return;
        }
        messages.add("rank " + tagged.group(1) + ": " + text);
        if (text.startsWith("k4j")) {
            rankMessages.add("k4j: rank " + tagged.group(1) + ": " + text.replaceFirst("^k4j:? ", ""));
        }
    }

    /**
     * Prints what the job's end calls for on {@code err} and returns k4j's exit code: the job's own when
     * it is one of k4j's (0 to 3; a rank's exit status is mpirun's), else 1.
     */
    synchronized int verdict(int mpirunExitCode, PrintStream err, boolean debug) {
        Objects.requireNonNull(err, "err");
        if (debug) {
            messages.forEach(message -> err.println("k4j: mpirun: " + message));
        }
        if (mpirunExitCode == 0) {
            if (!debug) {
                rankMessages.forEach(err::println);
            }
            return 0;
        }
        err.println(rankMessages.isEmpty()
                ? "k4j: the MPI job failed (mpirun exit " + mpirunExitCode + "): " + firstReport()
                : rankMessages.get(0));
        return mpirunExitCode <= 3 && mpirunExitCode > 0 ? mpirunExitCode : 1;
    }

    /** mpirun's first report, joined into one line (it frames its reports with lines of dashes). */
    private String firstReport() {
        List<String> report = new ArrayList<>();
        for (String message : messages) {
            String text = message.strip();
            boolean separator = text.isEmpty() || text.matches("-+");
            if (separator && !report.isEmpty()) {
                break;
            }
            if (!separator) {
                report.add(text);
            }
        }
        return report.isEmpty() ? "no message" : String.join(" ", report);
    }
}
