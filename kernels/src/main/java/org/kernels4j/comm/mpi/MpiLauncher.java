package org.kernels4j.comm.mpi;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.kernels4j.Availability;

/**
 * Starts a Java main class as the ranks of an MPI job:
 * {@code mpirun -np N --oversubscribe [--mca ...] java <JVM options> -cp <class path> <main class> <arguments>},
 * each rank then opening an {@link MpiWorld}. By default the ranks run this JVM's {@code java} with its
 * class path and the options kernels4j needs ({@link #DEFAULT_JVM_OPTIONS}).
 *
 * <p>What it adds for the machine: {@code OMPI_ALLOW_RUN_AS_ROOT=1} and
 * {@code OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1} in the environment (mpirun refuses root otherwise; both are
 * ignored for other users); {@code --oversubscribe}, so that more ranks than cores run (tests use 3
 * ranks on 2 cores); and {@code --mca btl_vader_single_copy_mechanism none} where cross-memory attach
 * is refused ({@link CrossMemoryAttach}), unless the environment already sets that parameter.
 *
 * <p>{@code mpirun} is looked up on the {@code PATH}, then at {@code /usr/bin/mpirun}; without it,
 * {@link #availability()} says so and starting throws {@link IllegalStateException} with the reason.
 *
 * <p>Immutable and thread-safe; each {@code with...} returns a new launcher.
 */
public final class MpiLauncher {
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");
    static final String SINGLE_COPY_PARAMETER = "btl_vader_single_copy_mechanism";

    private static final Path FALLBACK_MPIRUN = Path.of("/usr/bin/mpirun");
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(5);

    private final int ranks;
    private final Path java;
    private final String classPath;
    private final List<String> jvmOptions;
    private final List<String> mpirunOptions;

    private MpiLauncher(int ranks, Path java, String classPath, List<String> jvmOptions, List<String> mpirunOptions) {
        this.ranks = ranks;
        this.java = java;
        this.classPath = classPath;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.mpirunOptions = List.copyOf(mpirunOptions);
    }

    /**
     * The outcome of a job run to its end (or killed at its time limit).
     *
     * @param exitCode mpirun's exit status (non-zero when any rank failed; -1 when killed)
     * @param output   everything mpirun and the ranks wrote to stdout and stderr, interleaved
     * @param timedOut whether the job was killed at the time limit
     */
    public record Result(int exitCode, String output, boolean timedOut) {
    }

    /** A launcher of {@code ranks} processes running this JVM's {@code java} with its class path. */
    public static MpiLauncher forRanks(int ranks) {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks: " + ranks + " is less than 1");
        }
        return new MpiLauncher(ranks, Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), DEFAULT_JVM_OPTIONS, List.of());
    }

    /** Whether {@code mpirun} was found, and if not, why. */
    public static Availability availability() {
        return findMpirun().isPresent() ? Availability.yes()
                : Availability.no("no mpirun on the PATH or at " + FALLBACK_MPIRUN + " (install openmpi-bin)");
    }

    /** {@code mpirun} on the {@code PATH}, else {@code /usr/bin/mpirun}, if executable. */
    public static Optional<Path> findMpirun() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        List<Path> candidates = new ArrayList<>();
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isBlank()) {
                candidates.add(Path.of(directory, "mpirun"));
            }
        }
        candidates.add(FALLBACK_MPIRUN);
        return candidates.stream().filter(Files::isRegularFile).filter(Files::isExecutable).findFirst();
    }

    public int ranks() {
        return ranks;
    }

    /** Runs the ranks with {@code java}, e.g. a different JDK 25 than this one. */
    public MpiLauncher withJava(Path newJava) {
        Objects.requireNonNull(newJava, "java");
        return new MpiLauncher(ranks, newJava, classPath, jvmOptions, mpirunOptions);
    }

    public MpiLauncher withClassPath(String newClassPath) {
        Objects.requireNonNull(newClassPath, "classPath");
        if (newClassPath.isBlank()) {
            throw new IllegalArgumentException("classPath: is blank");
        }
        return new MpiLauncher(ranks, java, newClassPath, jvmOptions, mpirunOptions);
    }

    /** Replaces the ranks' JVM options (the defaults included: keep {@link #DEFAULT_JVM_OPTIONS} when adding). */
    public MpiLauncher withJvmOptions(List<String> options) {
        return new MpiLauncher(ranks, java, classPath, checkedOptions("jvmOptions", options), mpirunOptions);
    }

    /** Extra {@code mpirun} options, placed before the program (e.g. {@code --tag-output}, {@code --mca ...}). */
    public MpiLauncher withMpirunOptions(List<String> options) {
        return new MpiLauncher(ranks, java, classPath, jvmOptions, checkedOptions("mpirunOptions", options));
    }

    /** The full command line for {@code mainClass} with {@code arguments}. */
    public List<String> command(String mainClass, List<String> arguments) {
        Objects.requireNonNull(mainClass, "mainClass");
        if (mainClass.isBlank()) {
            throw new IllegalArgumentException("mainClass: is blank");
        }
        List<String> programArguments = checkedOptions("arguments", arguments);
        Path mpirun = findMpirun().orElseThrow(() -> new IllegalStateException("MPI launcher unavailable: " + availability().reason()));
        List<String> command = new ArrayList<>(List.of(mpirun.toString(), "-np", Integer.toString(ranks), "--oversubscribe"));
        if (System.getenv("OMPI_MCA_" + SINGLE_COPY_PARAMETER) == null && !mentions(mpirunOptions, SINGLE_COPY_PARAMETER)) {
            CrossMemoryAttach.refusal().ifPresent(reason -> command.addAll(List.of("--mca", SINGLE_COPY_PARAMETER, "none")));
        }
        command.addAll(mpirunOptions);
        command.add(java.toString());
        command.addAll(jvmOptions);
        if (classPath != null && !classPath.isBlank()) {
            command.addAll(List.of("-cp", classPath));
        }
        command.add(mainClass);
        command.addAll(programArguments);
        return command;
    }

    /** The variables added to the inherited environment. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        environment.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        return environment;
    }

    /** A process builder for the job, to redirect its streams as the caller likes before starting it. */
    public ProcessBuilder processBuilder(String mainClass, List<String> arguments) {
        ProcessBuilder builder = new ProcessBuilder(command(mainClass, arguments));
        builder.environment().putAll(environment());
        return builder;
    }

    /** Starts the job with the caller's stdout and stderr (inherited); the caller waits for the process. */
    public Process start(String mainClass, List<String> arguments) throws IOException {
        return processBuilder(mainClass, arguments).inheritIO().start();
    }

    /**
     * Runs the job to its end, capturing its output; past {@code timeout} it is terminated (mpirun first,
     * so that it stops its ranks; then whatever is left) and the result says so.
     */
    public Result run(String mainClass, List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " is not positive");
        }
        Process process = processBuilder(mainClass, arguments).redirectErrorStream(true).start();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().name("mpirun-output").start(() -> copy(process.getInputStream(), captured));
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            terminate(process);
        }
        reader.join(TERMINATION_GRACE.toMillis());
        String output;
        synchronized (captured) {
            output = captured.toString(StandardCharsets.UTF_8);
        }
        return new Result(finished ? process.exitValue() : -1, output, !finished);
    }

    private static void terminate(Process process) throws InterruptedException {
        List<ProcessHandle> ranks = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        ranks.forEach(ProcessHandle::destroyForcibly);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The job was killed and its pipe closed: what was read so far is the output.
        }
    }

    private static boolean mentions(List<String> options, String parameter) {
        return options.stream().anyMatch(option -> option.contains(parameter));
    }

    private static List<String> checkedOptions(String name, List<String> options) {
        Objects.requireNonNull(options, name);
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i) == null) {
                throw new IllegalArgumentException(name + "[" + i + "]: is null");
            }
        }
        return List.copyOf(options);
    }

    @Override
    public String toString() {
        return "MpiLauncher[" + ranks + " ranks, " + java + "]";
    }
}
