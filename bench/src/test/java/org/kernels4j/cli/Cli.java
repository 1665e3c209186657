package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs k4j in this JVM through {@link K4j#run} and captures what it printed. */
final class Cli {
    private Cli() {
    }

    record Result(int exitCode, String out, String err) {
        /** stderr's lines. */
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = K4j.run(args, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a {@code k4j run} command line that must succeed: exit code 0 and the summary that says where it ran. */
    static Result assertRan(String... args) {
        Result result = run(args);
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains(" ran on "), result::toString);
        return result;
    }

    /**
     * Runs a command line that must be refused: exit code {@code exit}, one line on stderr that starts with
     * "k4j: " and contains {@code message}, no stack trace, nothing on stdout, and no file (output or
     * temporary) added to or removed from {@code dir}.
     */
    static Result assertRefused(Path dir, int exit, String message, List<String> args) throws IOException {
        List<String> before = listing(dir);
        Result result = run(args.toArray(String[]::new));
        assertEquals(exit, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), () -> "one line on stderr: " + result);
        assertTrue(result.err().startsWith("k4j: "), result::toString);
        assertTrue(result.err().contains(message), () -> "stderr should contain '" + message + "': " + result);
        assertFalse(result.err().contains("\tat "), "no stack trace");
        assertEquals("", result.out(), result::toString);
        assertEquals(before, listing(dir), "no output or temporary file is left behind");
        return result;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
