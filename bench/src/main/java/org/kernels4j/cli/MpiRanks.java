package org.kernels4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiLibrary;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * The MPI transport of the collective commands, in its two roles. Started by a person (or a script),
 * k4j is the launcher: it runs {@code mpirun -np <ranks>} with the same k4j command line ({@link MpiRankMain}), relays what
 * rank 0 prints, and ends as the job did ({@link MpiJobOutput}). Started by mpirun (Open MPI sets
 * {@value #JOB_SIZE_VARIABLE} in every process it starts), k4j is one rank: it opens the {@link MpiWorld}
 * and runs the rank's work on its communicator. So {@code mpirun -np 2 k4j ... --transport mpi} works too.
 *
 * <p>Everything the command checks (inputs, options, backend) is checked by the launcher before mpirun
 * starts, and again by each rank, which runs the same command.
 */
final class MpiRanks {
    static final String JOB_SIZE_VARIABLE = "OMPI_COMM_WORLD_SIZE";
    /** Extra JVM options of k4j (see the k4j script), which its MPI ranks get too. */
    static final String JAVA_OPTIONS_VARIABLE = "K4J_JAVA_OPTS";

    private MpiRanks() {
    }

    static int run(int ranks, CommunicatorOptions options, RankWork<Integer> work, List<String> commandLine, Terminal terminal)
            throws IOException {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks: " + ranks + " is less than 1");
        }
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(terminal, "terminal");
        return System.getenv(JOB_SIZE_VARIABLE) != null ? asRank(ranks, options, work) : launch(ranks, commandLine, terminal);
    }

    /**
     * On failure MPI is left unfinalised on purpose: a peer may still wait in a collective, and
     * MPI_Finalize would wait for it; this process's non-zero exit makes mpirun end the whole job.
     */
    private static int asRank(int ranks, CommunicatorOptions options, RankWork<Integer> work) throws IOException {
        MpiWorld world = MpiWorld.open(options);
        if (world.size() != ranks) {
            world.close();
            throw new BadInputException("--transport mpi: this MPI job has " + world.size() + " processes but the command needs "
                    + ranks + " ranks");
        }
        int exitCode = work.run(new Rank(world.communicator(), Optional.of(world)));
        world.close();
        return exitCode;
    }

    private static int launch(int ranks, List<String> commandLine, Terminal terminal) throws IOException {
        requireLaunchable();
        ProcessBuilder builder = launcher(ranks, System.getenv(JAVA_OPTIONS_VARIABLE)).withMpirunOptions(List.of("--tag-output"))
                .processBuilder(MpiRankMain.class.getName(), commandLine);
        Process job = builder.start();
        // Ending k4j (Ctrl-C) ends the job: mpirun stops its ranks when it is terminated.
        Thread stopJob = new Thread(job::destroy, "k4j-stop-mpi-job");
        Runtime.getRuntime().addShutdownHook(stopJob);
        try {
            job.getOutputStream().close();
            MpiJobOutput output = new MpiJobOutput(terminal.out());
            // Both streams on threads of their own, so that an interrupt reaches this one in waitFor and ends the job.
            Thread results = relay("k4j-mpi-stdout", job.getInputStream(), output);
            Thread messages = relay("k4j-mpi-stderr", job.getErrorStream(), output);
            int exitCode = job.waitFor();
            results.join();
            messages.join();
            return output.verdict(exitCode, terminal.err(), System.getenv("K4J_DEBUG") != null);
        } catch (InterruptedException e) {
            job.destroy();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the MPI job");
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopJob);
        }
    }

    /**
     * The launcher of k4j's MPI ranks: this JVM's java and class path, kernels4j's JVM options, then
     * {@code javaOptions} (the value of {@value #JAVA_OPTIONS_VARIABLE}, split on white space as the k4j
     * script splits it; null or blank for none), so that e.g. a heap size or a GC log reaches every rank.
     */
    static MpiLauncher launcher(int ranks, String javaOptions) {
        List<String> options = new ArrayList<>(MpiLauncher.DEFAULT_JVM_OPTIONS);
        if (javaOptions != null && !javaOptions.isBlank()) {
            options.addAll(List.of(javaOptions.strip().split("\\s+")));
        }
        return MpiLauncher.forRanks(ranks).withJvmOptions(options);
    }

    /** Throws {@link BackendUnavailableException} with the reason unless libmpi and mpirun are both here. */
    static void requireLaunchable() {
        requireAvailable(MpiLibrary.availability());
        requireAvailable(MpiLauncher.availability());
    }

    private static void requireAvailable(Availability availability) {
        if (!availability.available()) {
            throw new BackendUnavailableException("mpi", availability.reason());
        }
    }

    private static Thread relay(String name, InputStream stream, MpiJobOutput output) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    output.line(line);
                }
            } catch (IOException e) {
                // The job was ended and its pipe closed: what was read is what there is.
            }
        });
    }
}
