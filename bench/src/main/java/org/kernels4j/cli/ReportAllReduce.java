package org.kernels4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.bench.AllReduceSizeSet;
import org.kernels4j.bench.peer.MpiCollectivePeer;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiLibrary;
import org.kernels4j.report.DeviceStatus;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.Shape;
import org.kernels4j.report.Units;

/**
 * The all-reduce part of {@code k4j report}: a sum over {@value #RANKS} ranks at each of the plan's sizes and dtypes,
 * measured the nccl-tests way by {@link CollectiveBench} (the time of a call is the slowest rank's; every element is
 * checked). It runs twice: over the local transport (the ranks are threads of this JVM), and, when Open MPI is
 * present, as an MPI job of {@value #RANKS} processes ({@code k4j bench allreduce --transport mpi}, which this
 * process starts and whose JSON it reads), where {@code MPI_Allreduce} runs alternately with ours on the same points
 * as the peer. Each point becomes a {@link Measurement} whose rate is the bus bandwidth in GB/s.
 *
 * <p>A run that throws or exits abnormally gives FAILED rows with its message, and the report goes on; MPI being
 * absent is a note, not a failure.
 */
final class ReportAllReduce {
    static final String OP = "allreduce";
    static final int RANKS = 2;
    static final List<DType> DTYPES = List.of(DType.FP32, DType.FP16, DType.BF16, DType.INT32);
    static final String LOCAL = "local transport";
    static final String MPI = "mpi transport";
    private static final String UNIT = "GB/s";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to measure.
     *
     * @param sizes      each rank's buffer sizes
     * @param iterations timed calls per point
     * @param warmup     untimed calls before them
     * @param overMpi    whether to run as an MPI job too (with MPI_Allreduce as the peer) when MPI is present
     */
    record Plan(List<AllReduceSizeSet.Size> sizes, int iterations, int warmup, boolean overMpi) {
        Plan {
            sizes = List.copyOf(sizes);
            if (iterations < 1 || warmup < 0) {
                throw new IllegalArgumentException("iterations, warmup: " + iterations + ", " + warmup);
            }
        }
    }

    private ReportAllReduce() {
    }

    /** Both transports' rows (MPI's only when it is present); {@code notes} learns what was not measured and why. */
    static List<Measurement> run(Plan plan, List<DType> dtypes, Kernels kernels, Terminal terminal, List<String> notes) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(notes, "notes");
        if (dtypes.isEmpty() || plan.sizes().isEmpty()) {
            return List.of();
        }
        List<Measurement> rows = new ArrayList<>(local(plan, dtypes, kernels, terminal));
        Availability mpi = mpiAvailability();
        if (!plan.overMpi()) {
            notes.add("all-reduce over MPI and its peer MPI_Allreduce not measured: not in this mode");
        } else if (mpi.available()) {
            rows.addAll(overMpi(plan, dtypes, terminal));
        } else {
            notes.add("all-reduce over MPI and its peer MPI_Allreduce not measured: " + mpi.reason());
        }
        return rows;
    }

    /** The peer's line in the report's list of backends and peers: MPI_Allreduce of the Open MPI found, or why there is none. */
    static DeviceStatus mpiPeer() {
        Availability mpi = mpiAvailability();
        List<String> dtypes = DTYPES.stream().filter(d -> MpiCollectivePeer.supports(d, ReduceOp.SUM).available()).map(DType::cliName).toList();
        // "Open MPI v4.1.4" of "Open MPI v4.1.4, package: Debian OpenMPI, ident: 4.1.4, repo rev: ...".
        String library = mpi.available() ? MpiLibrary.load().version().split(",")[0] : "";
        return new DeviceStatus("mpi", DeviceStatus.PEER, mpi.available() ? "MPI_Allreduce of " + library
                + ", " + RANKS + " processes under mpirun" : "(none)", "CPU", dtypes, mpi.available(), mpi.available() ? "" : mpi.reason());
    }

    static Availability mpiAvailability() {
        Availability library = MpiLibrary.availability();
        return library.available() ? MpiLauncher.availability() : library;
    }

    private static List<Measurement> local(Plan plan, List<DType> dtypes, Kernels kernels, Terminal terminal) {
        CommunicatorOptions options = CommunicatorSettings.communicatorOptions(kernels, BackendChoice.AUTO, Algorithm.AUTO);
        CollectiveBench.Plan bench = new CollectiveBench.Plan(BenchedCollective.ALL_REDUCE, CommTransport.LOCAL, RANKS,
                CommunicatorSettings.describe(options.reducer()), dtypes, ReduceOp.SUM, -1, Algorithm.AUTO, bytes(plan),
                plan.iterations(), plan.warmup());
        Progress progress = terminal.progress(bench.points());
        Progress silent = new Progress(terminal.err(), false, bench.points());
        try {
            List<List<CollectiveBench.Row>> perRank = LocalRanks.run(RANKS, options,
                    rank -> CollectiveBench.onRank(rank, bench, rank.rank() == 0 ? progress : silent));
            return perRank.getFirst().stream().map(row -> measurement(JSON.valueToTree(row.toJson()), LOCAL, plan)).toList();
        } catch (IOException | RuntimeException e) {
            return failed(plan, dtypes, LOCAL, String.valueOf(e));
        } finally {
            progress.finish();
        }
    }

    /** Runs {@code k4j bench allreduce --transport mpi} in this process (it starts mpirun) and reads its JSON rows. */
    private static List<Measurement> overMpi(Plan plan, List<DType> dtypes, Terminal terminal) {
        Progress progress = terminal.progress(1);
        progress.step("allreduce over MPI, " + RANKS + " processes, " + dtypes.size() * plan.sizes().size() + " points");
        Path directory = null;
        try {
            directory = Files.createTempDirectory("k4j-report-allreduce");
            Path json = directory.resolve("allreduce.json");
            List<String> args = List.of("bench", OP, "--" + CommTransport.OPTION, CommTransport.MPI.cliName(), "--ranks",
                    Integer.toString(RANKS), "--dtype", dtypes.stream().map(DType::cliName).collect(Collectors.joining(",")),
                    "--sizes", bytes(plan).stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "--iters", Integer.toString(plan.iterations()), "--warmup", Integer.toString(plan.warmup()),
                    "--json", json.toString());
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream discarded = new PrintStream(PrintStream.nullOutputStream());
                 PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8)) {
                exitCode = K4j.run(args.toArray(String[]::new), discarded, err);
            }
            if (!Files.isRegularFile(json)) {
                return failed(plan, dtypes, MPI, "k4j " + String.join(" ", args.subList(0, 4)) + " exited with " + exitCode + ": "
                        + messages.toString(StandardCharsets.UTF_8).strip());
            }
            List<Measurement> rows = new ArrayList<>();
            JSON.readTree(json.toFile()).path("benchmarks").forEach(row -> rows.add(measurement(row, MPI, plan)));
            return rows;
        } catch (IOException e) {
            return failed(plan, dtypes, MPI, String.valueOf(e));
        } finally {
            progress.finish();
            deleteQuietly(directory);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("the temporary directory " + directory + " could not be removed", e);
        }
    }

    private static List<Long> bytes(Plan plan) {
        return plan.sizes().stream().map(AllReduceSizeSet.Size::bytes).toList();
    }

    /** One row of {@link CollectiveBench.Row#toJson()}'s form as a measurement whose rate is the bus bandwidth. */
    static Measurement measurement(JsonNode row, String transport, Plan plan) {
        long bytes = row.path("sizeBytes").asLong();
        int ranks = row.path("ranks").asInt();
        double work = bytes * row.path("busbwFactor").asDouble() * 1e-9;
        JsonNode time = row.path("timeMicros");
        long wrong = row.path("wrong").asLong();
        JsonNode peer = row.path("peer");
        Measurement.PeerResult peerResult = null;
        Double ratio = null;
        String message = wrong == 0 ? "" : wrong + " wrong elements";
        if (peer.has("busbwGBps")) {
            JsonNode peerTime = peer.path("timeMicros");
            peerResult = new Measurement.PeerResult(peer.path("name").asText(), peer.path("busbwGBps").asDouble(),
                    work / (peerTime.path("max").asDouble() * 1e-6), work / (peerTime.path("min").asDouble() * 1e-6));
            ratio = row.path("ratioToPeer").asDouble();
        } else if (peer.has("absent") && wrong == 0) {
            message = "no peer: " + peer.path("absent").asText();
        }
        String dtype = row.path("dtype").asText();
        return new Measurement(OP, transport, device(ranks, transport, row.path("reducer").asText()), "CPU", Measurement.SOURCE_K4J,
                dtype, dtype, shape(name(plan, bytes), bytes, row.path("count").asLong(), ranks, row.path("algorithm").asText(),
                        transport), ranks, UNIT, work, null, wrong == 0 ? Measurement.OK : Measurement.FAILED, message,
                row.path("iterations").asInt(), time.path("median").asDouble() * 1e-6, row.path("busbwGBps").asDouble(),
                work / (time.path("max").asDouble() * 1e-6), work / (time.path("min").asDouble() * 1e-6), peerResult, ratio, null);
    }

    /** A FAILED row for every point, when a run ended before it measured anything. */
    private static List<Measurement> failed(Plan plan, List<DType> dtypes, String transport, String message) {
        List<Measurement> rows = new ArrayList<>();
        for (DType dtype : dtypes) {
            for (AllReduceSizeSet.Size size : plan.sizes()) {
                long count = size.bytes() / dtype.byteSize();
                rows.add(new Measurement(OP, transport, device(RANKS, transport, "?"), "CPU", Measurement.SOURCE_K4J, dtype.cliName(),
                        dtype.cliName(), shape(size.name(), size.bytes(), count, RANKS, "?", transport), RANKS, UNIT,
                        size.bytes() * BenchedCollective.ALL_REDUCE.busBandwidthFactor(RANKS) * 1e-9, null, Measurement.FAILED,
                        message, 0, null, null, null, null, null, null, null));
            }
        }
        return rows;
    }

    private static String device(int ranks, String transport, String reducer) {
        return ranks + (transport.equals(LOCAL) ? " ranks as threads of one JVM" : " MPI processes") + ", reduction step " + reducer;
    }

    private static String name(Plan plan, long bytes) {
        return plan.sizes().stream().filter(s -> s.bytes() == bytes).map(AllReduceSizeSet.Size::name).findFirst().orElse("");
    }

    /** "1 MiB" for sizes a binary unit states exactly, else the byte count ("400000 B"). */
    static String label(long bytes) {
        String inUnits = Units.bytes(bytes);
        long unit = 1;
        while (unit < (1L << 40) && bytes >= unit * 1024) {
            unit *= 1024;
        }
        return bytes % unit == 0 ? inUnits : bytes + " B";
    }

    private static Shape shape(String name, long bytes, long count, int ranks, String algorithm, String transport) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("bytes", bytes);
        parameters.put("count", count);
        parameters.put("ranks", ranks);
        parameters.put("redop", ReduceOp.SUM.cliName());
        parameters.put("algorithm", algorithm);
        parameters.put("transport", transport.equals(LOCAL) ? CommTransport.LOCAL.cliName() : CommTransport.MPI.cliName());
        return new Shape(name, label(bytes), parameters);
    }
}
