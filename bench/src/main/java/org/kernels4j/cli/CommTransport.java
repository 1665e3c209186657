package org.kernels4j.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.comm.CommunicatorOptions;

/** The {@code --transport} of the collective commands: how the ranks are started and connected. */
enum CommTransport {
    /** Every rank on its own thread of this JVM ({@link LocalRanks}). */
    LOCAL,
    /** One process per rank under mpirun; not in this build yet. */
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

    /** Runs {@code work} on each of {@code ranks} ranks and returns their results in rank order. */
    <T> List<T> onEveryRank(int ranks, CommunicatorOptions options, RankWork<T> work) throws IOException {
        return switch (this) {
            case LOCAL -> LocalRanks.run(ranks, options, work);
            case MPI -> throw new BackendUnavailableException("mpi", "the MPI transport is not in this build of k4j yet"
                    + " (use --transport local)");
        };
    }
}
