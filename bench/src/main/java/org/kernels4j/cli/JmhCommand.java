package org.kernels4j.cli;

import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code k4j bench --jmh [JMH options]}: JMH's own command line (what {@code org.openjdk.jmh.Main}
 * does), run in this JVM so that the forks get the same class path, but reporting through k4j's exit
 * codes instead of calling System.exit. Benchmarks: {@link org.kernels4j.bench.jmh.GemmBenchmark}, {@link org.kernels4j.bench.jmh.ConvBenchmark}.
 */
final class JmhCommand {
    private JmhCommand() {
    }

    static int run(List<String> args, Terminal terminal) throws IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new BadInputException("bench --jmh: " + e.getMessage());
        }
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        if (options.shouldListProfilers()) {
            options.listProfilers();
            return 0;
        }
        if (options.shouldListResultFormats()) {
            options.listResultFormats();
            return 0;
        }
        Runner runner = new Runner(options, OutputFormatFactory.createFormatInstance(terminal.out(),
                options.verbosity().orElse(VerboseMode.NORMAL)));
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        if (options.shouldListWithParams()) {
            runner.listWithParams(options);
            return 0;
        }
        try {
            runner.run();
            return 0;
        } catch (NoBenchmarksException e) {
            throw new BadInputException("bench --jmh: no benchmark matches " + args + " (k4j bench --jmh -l lists them)");
        } catch (RunnerException e) {
            terminal.err().println("k4j: bench --jmh failed: " + e.getMessage());
            return 1;
        }
    }
}
