package org.kernels4j.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.bench.Timing;
import org.kernels4j.bench.peer.MpiCollectivePeer;
import org.kernels4j.bench.peer.MpiRankTimer;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiWorld;
import org.kernels4j.io.AtomicFiles;

/**
 * MPI's own collective as the peer of a local-transport benchmark ({@code k4j bench ... --transport local
 * --peer mpi}): k4j starts an MPI job of as many processes as the plan has ranks, on this class's
 * {@link #main}; every process times MPI's call on each point of the plan, on buffers filled as ours are,
 * after an {@code MPI_Barrier} per call and taking the slowest process's time ({@link MpiRankTimer}, as in
 * the MPI transport), and process 0 writes one line per point to a file, which the launcher reads back (a
 * file rather than stdout, where the processes' lines could interleave).
 *
 * <p>The job runs right after the local measurement, not interleaved with it (the local ranks are threads
 * of this JVM, MPI's are processes, and idle processes of either would spin on the cores the others
 * need), so a change in the machine's load between the two falls on one side only: repeat the run.
 */
final class MpiPeerJob {
    /** For the whole job: generous, since a wide range of large sizes on a busy machine takes minutes. */
    private static final Duration LIMIT = Duration.ofMinutes(30);

    private MpiPeerJob() {
    }

    /** One point of the plan, as the job names it. */
    private record Point(DType dtype, long count) {
    }

    /**
     * {@code rows} (measured on the local transport for {@code plan}) with MPI's timing of each point as
     * their peer, or the reason MPI has none (e.g. no FP16 datatype). Throws
     * {@link org.kernels4j.BackendUnavailableException} when libmpi or mpirun is missing, {@link IOException} when the
     * job fails.
     */
    static List<CollectiveBench.Row> addPeers(CollectiveBench.Plan plan, List<CollectiveBench.Row> rows) throws IOException {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(rows, "rows");
        MpiRanks.requireLaunchable();
        Map<Point, Timing> timings = run(plan);
        List<CollectiveBench.Row> withPeers = new ArrayList<>();
        String routine = plan.collective().mpiRoutine();
        for (CollectiveBench.Row row : rows) {
            Availability supported = MpiCollectivePeer.supports(row.dtype(), plan.op());
            Timing timing = timings.get(new Point(row.dtype(), row.count()));
            CollectiveBench.Peer peer;
            if (!supported.available()) {
                peer = CollectiveBench.Peer.absent(routine, supported.reason());
            } else if (timing == null) {
                throw new IOException("the MPI peer job reported no time for " + row.dtype().cliName() + " × " + row.count());
            } else {
                peer = new CollectiveBench.Peer(routine, timing);
            }
            withPeers.add(new CollectiveBench.Row(row.plan(), row.dtype(), row.bytes(), row.count(), row.algorithm(),
                    row.timing(), row.wrong(), peer));
        }
        return withPeers;
    }

    private static Map<Point, Timing> run(CollectiveBench.Plan plan) throws IOException {
        Path times = Files.createTempFile("k4j-mpi-peer", ".txt");
        try {
            launch(plan, times);
            Map<Point, Timing> timings = new HashMap<>();
            // One line per point: dtype, count, then the seconds of every timed call.
            for (String line : Files.readAllLines(times).stream().filter(line -> !line.isBlank()).toList()) {
                String[] fields = line.split(" ");
                double[] seconds = Arrays.stream(fields, 2, fields.length).mapToDouble(Double::parseDouble).toArray();
                timings.put(new Point(DType.fromCliName(fields[0]), Long.parseLong(fields[1])), new Timing(seconds));
            }
            return timings;
        } finally {
            Files.deleteIfExists(times);
        }
    }

    private static void launch(CollectiveBench.Plan plan, Path times) throws IOException {
        List<String> arguments = List.of(plan.collective().cliName(), Integer.toString(plan.ranks()),
                plan.dtypes().stream().map(DType::cliName).collect(Collectors.joining(",")),
                plan.op() == null ? "none" : plan.op().cliName(), Integer.toString(plan.root()),
                plan.sizes().stream().map(String::valueOf).collect(Collectors.joining(",")),
                Integer.toString(plan.iterations()), Integer.toString(plan.warmup()), times.toString());
        MpiLauncher.Result result;
        try {
            result = MpiRanks.launcher(plan.ranks(), System.getenv(MpiRanks.JAVA_OPTIONS_VARIABLE))
                    .run(MpiPeerJob.class.getName(), arguments, LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the MPI peer job");
        }
        if (result.exitCode() != 0) {
            throw new IOException("the MPI peer job " + (result.timedOut() ? "ran past " + LIMIT.toMinutes() + " minutes"
                    : "failed with exit code " + result.exitCode()) + "; its output:\n" + result.output().strip());
        }
    }

    /**
     * One process of the peer job. Arguments, as {@link #run} passes them: collective, ranks, dtypes
     * (comma-separated), op (or "none"), root, sizes in bytes (comma-separated), timed calls, warm-up calls,
     * and the file that process 0 writes the times to.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 9) {
            throw new IllegalArgumentException("args: expected 9 (collective ranks dtypes op root sizes iterations warmup file), got "
                    + Arrays.toString(args));
        }
        BenchedCollective collective = Arrays.stream(BenchedCollective.values())
                .filter(c -> c.cliName().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("args[0]: unknown collective " + args[0]));
        int ranks = Integer.parseInt(args[1]);
        List<DType> dtypes = Arrays.stream(args[2].split(",")).map(DType::fromCliName).toList();
        ReduceOp op = args[3].equals("none") ? null : Arrays.stream(ReduceOp.values())
                .filter(o -> o.cliName().equals(args[3])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("args[3]: unknown op " + args[3]));
        int root = Integer.parseInt(args[4]);
        List<Long> sizes = Arrays.stream(args[5].split(",")).map(Long::parseLong).toList();
        MpiRankTimer timer = new MpiRankTimer(Integer.parseInt(args[7]), Integer.parseInt(args[6]));
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults())) {
            if (world.size() != ranks) {
                throw new IllegalStateException("this MPI job has " + world.size() + " processes, not " + ranks);
            }
            MpiCollectivePeer mpi = MpiCollectivePeer.of(world);
            List<String> lines = new ArrayList<>();
            for (DType dtype : dtypes) {
                for (long size : sizes) {
                    long count = collective.count(size, dtype, ranks);
                    if (count > 0 && MpiCollectivePeer.supports(dtype, op).available()) {
                        Timing timing = timePoint(world, mpi, timer, collective, dtype, op, root, count);
                        lines.add(dtype.cliName() + " " + count + " " + Arrays.stream(timing.samples())
                                .mapToObj(s -> String.format(Locale.ROOT, "%.9e", s)).collect(Collectors.joining(" ")));
                    }
                }
            }
            if (world.rank() == 0) {
                AtomicFiles.writeString(Path.of(args[8]), String.join("\n", lines) + "\n");
            }
        }
    }

    private static Timing timePoint(MpiWorld world, MpiCollectivePeer mpi, MpiRankTimer timer, BenchedCollective collective,
                                    DType dtype, ReduceOp op, int root, long count) {
        // The algorithm names only our call, which this job does not make.
        try (BenchedCollective.Buffers buffers = collective.buffers(world.rank(), world.size(), dtype, op, root, Algorithm.AUTO, count)) {
            return timer.time(world, collective.mpiCall(mpi, buffers, op, root));
        }
    }
}
