package org.kernels4j.cli;

import java.io.IOException;

/** One k4j subcommand: its options, and what it does with them. */
interface Command {
    /** The options it accepts (K4j parses them and answers --help). */
    OptionParser parser();

    /** Runs; returns the exit code (0 success, 1 failure found or internal error, 2 bad input, 3 unavailable). */
    int run(Options options, Terminal terminal) throws IOException;
}
