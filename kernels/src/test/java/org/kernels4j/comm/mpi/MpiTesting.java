package org.kernels4j.comm.mpi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Availability;
import org.kernels4j.testing.Requirements;

/**
 * For tests that run ranks under mpirun: the {@code mpi} requirement (libmpi and mpirun), and a launcher
 * whose ranks start quickly and leave their results in per-rank files.
 */
public final class MpiTesting {
    public static final String COMPONENT = "mpi";

    private MpiTesting() {
    }

    /** Skips the test (or fails it under K4J_REQUIRE=mpi) unless libmpi and mpirun are both present. */
    public static void assumeMpi() {
        Availability library = MpiLibrary.availability();
        Availability launcher = MpiLauncher.availability();
        Requirements.assumeAvailable(COMPONENT, library.available() ? launcher : library);
    }

    /**
     * Runs {@code mainClass} on {@code ranks} ranks with {@code arguments}, the last of which is a fresh
     * directory for the ranks' result files; fails with the job's output if it runs past {@code limit}.
     */
    public static MpiLauncher.Result run(int ranks, Class<?> mainClass, Duration limit, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> jvmOptions = new ArrayList<>(MpiLauncher.DEFAULT_JVM_OPTIONS);
        // Ranks are short-lived: a small heap and the serial collector start faster on few cores.
        jvmOptions.addAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Xshare:auto"));
        return MpiLauncher.forRanks(ranks).withJvmOptions(jvmOptions).run(mainClass.getName(), arguments, limit);
    }

    /** Rank {@code rank}'s result file in {@code directory}. */
    public static Path resultFile(Path directory, int rank) {
        return directory.resolve("rank-" + rank + ".txt");
    }

    /** Writes rank {@code rank}'s results (atomically: a partial file never appears). */
    public static void writeResults(Path directory, int rank, List<String> lines) throws IOException {
        Path temporary = directory.resolve("rank-" + rank + ".tmp");
        Files.write(temporary, lines);
        Files.move(temporary, resultFile(directory, rank), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rank {@code rank}'s result lines; fails naming the job's output when the file is missing. */
    public static List<String> readResults(Path directory, int rank, MpiLauncher.Result job) throws IOException {
        Path file = resultFile(directory, rank);
        if (!Files.exists(file)) {
            throw new AssertionError("rank " + rank + " wrote no results; exit code " + job.exitCode() + ", output:\n" + job.output());
        }
        return Files.readAllLines(file);
    }
}
