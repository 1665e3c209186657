package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.bench.Timing;
import org.kernels4j.bench.peer.MpiCollectivePeer;
import org.kernels4j.bench.peer.MpiRankTimer;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * Measures one collective over a range of sizes, nccl-tests style, from inside each rank: every rank runs
 * {@link #onRank} with its own communicator, and the timings and wrong-element counts are combined through
 * that communicator, so every rank ends with the same rows (threads or separate processes alike).
 *
 * <p>Each timed iteration starts after a barrier, and its time is the slowest rank's: a collective is
 * done when its last rank is. After the timed iterations every element of every rank's result is compared
 * with {@link KnownResultFill}'s exact expectation.
 *
 * <p>In an MPI job, MPI's own collective ({@link MpiCollectivePeer}) is the peer of every point: ours and
 * MPI's run in turn, one timed call of each per round after an {@code MPI_Barrier} ({@link MpiRankTimer}),
 * on separate buffers filled alike, so that a change in the machine's load falls on both. Where MPI has no
 * datatype or op for the point (FP16, BF16, AVG), the row's peer says so.
 */
final class CollectiveBench {
    static final long COMPILER_WARMUP_BYTES = 1 << 20;
    static final int COMPILER_WARMUP_CALLS = 50;

    private CollectiveBench() {
    }

    /**
     * What to measure.
     *
     * @param op       the reduction; null for collectives that only move data
     * @param root     broadcast's root; -1 for the others
     * @param sizes    sizes in bytes, as {@link BenchedCollective} defines them
     * @param reducer  how the reduction step is named in the rows
     */
    record Plan(BenchedCollective collective, CommTransport transport, int ranks, String reducer, List<DType> dtypes,
                ReduceOp op, int root, Algorithm algorithm, List<Long> sizes, int iterations, int warmup) {
        Plan {
            Objects.requireNonNull(collective, "collective");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(reducer, "reducer");
            dtypes = List.copyOf(dtypes);
            sizes = List.copyOf(sizes);
            Objects.requireNonNull(algorithm, "algorithm");
            if (collective.reduces() != (op != null)) {
                throw new IllegalArgumentException("op: " + op + " for " + collective);
            }
            if (collective.hasRoot() ? root < 0 || root >= ranks : root != -1) {
                throw new IllegalArgumentException("root: " + root + " for " + collective + " over " + ranks + " ranks");
            }
            if (iterations < 1 || warmup < 0) {
                throw new IllegalArgumentException("iterations, warmup: " + iterations + ", " + warmup);
            }
        }

        int points() {
            return dtypes.size() * sizes.size();
        }
    }

    /**
     * Another implementation of the same point (e.g. MPI_Allreduce), shown next to ours: its timing, or
     * why it could not run the point.
     *
     * @param timing  null when absent
     * @param absence why it is absent (e.g. "MPI has no FP16 datatype"); null when measured
     */
    record Peer(String name, Timing timing, String absence) {
        Peer {
            Objects.requireNonNull(name, "name");
            if ((timing == null) == (absence == null)) {
                throw new IllegalArgumentException("timing, absence: exactly one is needed (got " + timing + ", " + absence + ")");
            }
        }

        Peer(String name, Timing timing) {
            this(name, Objects.requireNonNull(timing, "timing"), null);
        }

        static Peer absent(String name, String reason) {
            return new Peer(name, null, Objects.requireNonNull(reason, "reason"));
        }

        boolean measured() {
            return timing != null;
        }
    }

    /**
     * One point: its size, what ran, the times of the timed iterations, the wrong elements summed over ranks,
     * and optionally a peer measured on the same point.
     */
    record Row(Plan plan, DType dtype, long bytes, long count, Algorithm algorithm, Timing timing, long wrong, Peer peer) {
        double algorithmBandwidth(Timing of) {
            return bytes / of.median() * 1e-9;
        }

        double busBandwidth(Timing of) {
            return algorithmBandwidth(of) * plan.collective().busBandwidthFactor(plan.ranks());
        }

        /** Our bus bandwidth over the peer's; NaN without a measured peer. */
        double ratioToPeer() {
            return peer == null || !peer.measured() ? Double.NaN : busBandwidth(timing) / busBandwidth(peer.timing());
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("collective", plan.collective().cliName());
            json.put("transport", plan.transport().cliName());
            json.put("ranks", plan.ranks());
            json.put("reducer", plan.reducer());
            json.put("dtype", dtype.cliName());
            json.put("redop", plan.op() == null ? null : plan.op().cliName());
            json.put("root", plan.collective().hasRoot() ? plan.root() : null);
            json.put("algorithm", CommunicatorSettings.cliName(algorithm));
            json.put("sizeBytes", bytes);
            json.put("count", count);
            json.put("iterations", plan.iterations());
            json.put("warmup", plan.warmup());
            json.put("timeMicros", timeJson(timing));
            json.put("algbwGBps", algorithmBandwidth(timing));
            json.put("busbwGBps", busBandwidth(timing));
            json.put("busbwFactor", plan.collective().busBandwidthFactor(plan.ranks()));
            json.put("wrong", wrong);
            if (peer != null) {
                Map<String, Object> peerJson = new LinkedHashMap<>();
                peerJson.put("name", peer.name());
                if (peer.measured()) {
                    peerJson.put("timeMicros", timeJson(peer.timing()));
                    peerJson.put("algbwGBps", algorithmBandwidth(peer.timing()));
                    peerJson.put("busbwGBps", busBandwidth(peer.timing()));
                } else {
                    peerJson.put("absent", peer.absence());
                }
                json.put("peer", peerJson);
                if (peer.measured()) {
                    json.put("ratioToPeer", ratioToPeer());
                }
            }
            return json;
        }

        private static Map<String, Object> timeJson(Timing timing) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("median", timing.median() * 1e6);
            json.put("min", timing.fastest() * 1e6);
            json.put("max", timing.slowest() * 1e6);
            return json;
        }
    }

    /** This rank's part of the benchmark: every dtype × size of {@code plan}; the same rows on every rank. */
    static List<Row> onRank(Rank rank, Plan plan, Progress progress) {
        if (rank.communicator().size() != plan.ranks()) {
            throw new IllegalArgumentException("rank: " + rank.communicator().size() + " ranks, but the plan has " + plan.ranks());
        }
        List<Row> rows = new ArrayList<>();
        for (DType dtype : plan.dtypes()) {
            warmUpCompiler(rank, plan, dtype);
            for (long size : plan.sizes()) {
                progress.step(plan.collective().cliName() + " " + dtype.cliName() + " " + size + " B");
                long count = plan.collective().count(size, dtype, plan.ranks());
                if (count > 0) {
                    rows.add(measure(rank, plan, dtype, count));
                }
            }
        }
        return rows;
    }

    /**
     * Runs the collective {@link #COMPILER_WARMUP_CALLS} times on a {@link #COMPILER_WARMUP_BYTES} point
     * (and MPI's too, under MPI), untimed, before the first point of a dtype: the JIT compiles our code
     * (the SIMD reduction step above all) while it runs, on the same cores, and a few warm-up calls per
     * point do not cover that on a busy machine (the first 16 MiB point of a run came out 0.74× to 0.97×
     * MPI_Allreduce, the same point again in the same run 1.3×).
     */
    private static void warmUpCompiler(Rank rank, Plan plan, DType dtype) {
        long count = plan.collective().count(COMPILER_WARMUP_BYTES, dtype, plan.ranks());
        Algorithm algorithm = plan.collective().algorithm(plan.algorithm(), count * dtype.byteSize(), plan.ranks());
        try (BenchedCollective.Buffers buffers = plan.collective().buffers(rank.rank(), plan.ranks(), dtype, plan.op(),
                plan.root(), algorithm, count)) {
            Runnable theirs = rank.mpiWorld().isPresent() && MpiCollectivePeer.supports(dtype, plan.op()).available()
                    ? plan.collective().mpiCall(MpiCollectivePeer.of(rank.mpiWorld().get()), buffers, plan.op(), plan.root())
                    : () -> { };
            for (int i = 0; i < COMPILER_WARMUP_CALLS; i++) {
                buffers.call().run(rank.communicator());
                theirs.run();
            }
        }
    }

    private static Row measure(Rank rank, Plan plan, DType dtype, long count) {
        Communicator communicator = rank.communicator();
        long bytes = count * dtype.byteSize();
        Algorithm algorithm = plan.collective().algorithm(plan.algorithm(), bytes, plan.ranks());
        try (BenchedCollective.Buffers buffers = plan.collective().buffers(communicator.rank(), plan.ranks(), dtype,
                plan.op(), plan.root(), algorithm, count)) {
            Runnable ours = () -> buffers.call().run(communicator);
            Timing timing;
            Peer peer = null;
            Availability mpiSupports = MpiCollectivePeer.supports(dtype, plan.op());
            if (rank.mpiWorld().isPresent() && mpiSupports.available()) {
                MpiWorld world = rank.mpiWorld().get();
                try (BenchedCollective.Buffers mpiBuffers = plan.collective().buffers(communicator.rank(), plan.ranks(), dtype,
                        plan.op(), plan.root(), algorithm, count)) {
                    Runnable theirs = plan.collective().mpiCall(MpiCollectivePeer.of(world), mpiBuffers, plan.op(), plan.root());
                    List<Timing> timings = new MpiRankTimer(plan.warmup(), plan.iterations()).timeAlternating(world, List.of(ours, theirs));
                    timing = timings.get(0);
                    peer = new Peer(plan.collective().mpiRoutine(), timings.get(1));
                }
            } else {
                timing = timeAlone(communicator, plan, ours);
                if (rank.mpiWorld().isPresent()) {
                    peer = Peer.absent(plan.collective().mpiRoutine(), mpiSupports.reason());
                }
            }
            long wrong = sumOverRanks(communicator, buffers.wrongElements());
            return new Row(plan, dtype, bytes, count, algorithm, timing, wrong, peer);
        }
    }

    private static Timing timeAlone(Communicator communicator, Plan plan, Runnable call) {
        for (int i = 0; i < plan.warmup(); i++) {
            call.run();
        }
        float[] seconds = new float[plan.iterations()];
        for (int i = 0; i < seconds.length; i++) {
            communicator.barrier();
            long start = System.nanoTime();
            call.run();
            seconds[i] = (System.nanoTime() - start) * 1e-9f;
        }
        return slowestOverRanks(communicator, seconds);
    }

    private static Timing slowestOverRanks(Communicator communicator, float[] seconds) {
        try (Tensor times = Tensor.fromFloats(DType.FP32, seconds, seconds.length)) {
            communicator.allReduce(times, times, ReduceOp.MAX);
            return new Timing(times.toDoubleArray());
        }
    }

    /** Summed in INT32; each rank's count is capped so that the sum cannot wrap. */
    private static long sumOverRanks(Communicator communicator, long wrong) {
        int capped = (int) Math.min(wrong, Integer.MAX_VALUE / communicator.size());
        try (Tensor counts = Tensor.fromInts(new int[] {capped}, 1)) {
            communicator.allReduce(counts, counts, ReduceOp.SUM);
            return counts.toIntArray()[0];
        }
    }

    /** The nccl-tests columns, plus the spread of the time and the algorithm; three peer columns when any row has a peer. */
    static String table(List<Row> rows) {
        boolean peers = rows.stream().anyMatch(row -> row.peer() != null);
        List<String> headers = new ArrayList<>(List.of("size (B)", "count", "type", "redop", "root", "algorithm", "time (µs)",
                "spread (µs)", "algbw (GB/s)", "busbw (GB/s)", "#wrong"));
        if (peers) {
            headers.addAll(List.of("peer", "peer time (µs)", "peer busbw (GB/s)", "ratio"));
        }
        TextTable table = new TextTable(headers.toArray(String[]::new)).numeric(0, 1, 4, 6, 7, 8, 9, 10);
        if (peers) {
            table.numeric(12, 13, 14);
        }
        for (Row row : rows) {
            Plan plan = row.plan();
            List<String> cells = new ArrayList<>(List.of(Long.toString(row.bytes()), Long.toString(row.count()),
                    row.dtype().cliName(), plan.op() == null ? "none" : plan.op().cliName(), Integer.toString(plan.root()),
                    CommunicatorSettings.cliName(row.algorithm()), micros(row.timing().median()),
                    micros(row.timing().fastest()) + "–" + micros(row.timing().slowest()),
                    bandwidth(row.algorithmBandwidth(row.timing())), bandwidth(row.busBandwidth(row.timing())),
                    Long.toString(row.wrong())));
            if (peers) {
                Peer peer = row.peer();
                if (peer == null) {
                    cells.addAll(List.of("-", "-", "-", "-"));
                } else if (peer.measured()) {
                    cells.addAll(List.of(peer.name(), micros(peer.timing().median()), bandwidth(row.busBandwidth(peer.timing())),
                            String.format(Locale.ROOT, "%.2f×", row.ratioToPeer())));
                } else {
                    cells.addAll(List.of("none (" + peer.absence() + ")", "-", "-", "-"));
                }
            }
            table.row(cells.toArray(String[]::new));
        }
        return table.render();
    }

    private static String micros(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds * 1e6);
    }

    private static String bandwidth(double gigabytesPerSecond) {
        return String.format(Locale.ROOT, "%.2f", gigabytesPerSecond);
    }
}
