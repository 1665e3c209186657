package org.kernels4j.cli;

import java.io.IOException;
import java.util.Locale;
import org.kernels4j.comm.CommunicatorOptions;

/** The {@code --transport} of the collective commands: how the ranks are started and connected. */
enum CommTransport {
    /** Every rank on its own thread of this JVM ({@link LocalRanks}). */
    LOCAL,
    /** One process per rank under mpirun, which k4j starts itself ({@link MpiRanks}). */
    MPI;

    static final String OPTION = "transport";
    static final String HELP = "local (every rank a thread of this JVM, default) or mpi";

    static CommTransport from(Options options) {
        String name = options.string(OPTION, "local");
        return switch (name) {
            case "local" -> LOCAL;
            case "mpi" -> MPI;
            default -> throw new BadInputException("--" + OPTION + ": unknown transport '" + name + "' (local or mpi)");
        };
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs {@code work} on each of {@code ranks} ranks and returns the command's exit code. Only rank 0
     * reports (writes the output, prints the table), in whichever process holds it, and its work returns
     * the exit code; the others' return 0. Under the local transport all ranks are threads of this
     * process; under MPI this process either starts the job and relays what rank 0 printed and how it
     * ended, or, inside the job, is one rank (see {@link MpiRanks}).
     *
     * @param commandLine the command's options, which the MPI job's ranks are started with again
     */
    int onEveryRank(int ranks, CommunicatorOptions options, RankWork<Integer> work, Options commandLine, Terminal terminal)
            throws IOException {
        return switch (this) {
            case LOCAL -> LocalRanks.run(ranks, options, work).get(0);
            case MPI -> MpiRanks.run(ranks, options, work, commandLine.commandLine(), terminal);
        };
    }
}
