package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.report.Machine;
import org.kernels4j.report.Machines;
import org.kernels4j.report.ResultsJson;

/**
 * {@code k4j bench allreduce|reducescatter|allgather|broadcast}: the nccl-tests table for one collective
 * over a range of sizes (see {@link CollectiveBench}); exit 1 when any element came out wrong. Options
 * that do not apply to the collective (--op for all-gather, --root for all but broadcast, --algorithm for
 * all but all-reduce) are not accepted.
 */
final class BenchCollectiveCommand implements Command {
    static final int DEFAULT_RANKS = 2;
    static final long DEFAULT_MIN_BYTES = 8;
    /** 64 MiB: a default run of every size from 8 B takes seconds, not minutes, on two cores. */
    static final long DEFAULT_MAX_BYTES = 64L << 20;
    static final int DEFAULT_ITERATIONS = 20;
    static final int DEFAULT_WARMUP = 5;

    private final BenchedCollective collective;

    BenchCollectiveCommand(BenchedCollective collective) {
        this.collective = Objects.requireNonNull(collective, "collective");
    }

    @Override
    public OptionParser parser() {
        OptionParser parser = new OptionParser("bench " + collective.cliName())
                .value(CommTransport.OPTION, "local|mpi", CommTransport.HELP)
                .value("ranks", "N", "number of ranks (default " + DEFAULT_RANKS + ", at most " + KnownResultFill.MAX_RANKS + ")")
                .value("dtype", "LIST", "dtypes, comma-separated: fp32, fp16, bf16, int8, int32 (default fp32)");
        if (collective.reduces()) {
            parser.value("op", "OP", "reduction: sum, prod, max, min or avg (default sum; avg: float dtypes only)");
        }
        if (collective.hasRoot()) {
            parser.value("root", "R", "the rank that broadcasts (default 0)");
        }
        parser.value("min-bytes", "SIZE", "smallest size (default 8); size = " + collective.sizeMeaning()
                        + "; suffixes K, M, G (×1024)")
                .value("max-bytes", "SIZE", "largest size (default 64M, seconds on two cores; nccl-tests goes to 256M)")
                .value("factor", "F", "sizes grow by this whole factor (default 2)")
                .value("sizes", "LIST", "these sizes instead of the sweep, comma-separated (e.g. 8,400000,16M); excludes the three above")
                .value("iters", "N", "timed iterations per size (default " + DEFAULT_ITERATIONS + ")")
                .value("warmup", "N", "untimed iterations first (default " + DEFAULT_WARMUP + ")");
        if (collective == BenchedCollective.ALL_REDUCE) {
            parser.value("algorithm", "A", CommunicatorSettings.ALGORITHM_HELP);
        }
        return parser.value("peer", "mpi|none", "MPI's own collective next to ours: always with --transport mpi (in the same"
                        + " job, call for call); with --transport local, mpi runs it in an MPI job of as many processes right"
                        + " after ours (default none)")
                .value("backend", "NAME", CommunicatorSettings.BACKEND_HELP)
                .value("json", "FILE", "also write the rows as JSON");
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        Path json = options.has("json") ? OutputPath.checked("json", options.optionalPath("json")) : null;
        CommTransport transport = CommTransport.from(options);
        int ranks = options.intValue("ranks", DEFAULT_RANKS, 1);
        if (ranks > KnownResultFill.MAX_RANKS) {
            throw new BadInputException("--ranks: " + ranks + " is more than " + KnownResultFill.MAX_RANKS
                    + " (the checked inputs stay exact up to there)");
        }
        List<DType> dtypes = options.dtypes("dtype", List.of(DType.FP32));
        ReduceOp op = collective.reduces() ? options.reduceOp("op", ReduceOp.SUM) : null;
        for (DType dtype : dtypes) {
            if (op != null && !op.supports(dtype)) {
                throw new BadInputException("--op " + op.cliName() + " is not defined for integer dtype " + dtype.cliName()
                        + " (an integer average would need a rounding rule)");
            }
        }
        int root = collective.hasRoot() ? root(options, ranks) : -1;
        List<Long> sizes = sizes(options);
        int iterations = options.intValue("iters", DEFAULT_ITERATIONS, 1);
        int warmup = options.intValue("warmup", DEFAULT_WARMUP, 0);
        Algorithm algorithm = CommunicatorSettings.algorithm(options);
        boolean separatePeerJob = separatePeerJob(options, transport);
        if (separatePeerJob) {
            MpiRanks.requireLaunchable();
        }
        try (Kernels kernels = Kernels.open()) {
            Machine machine = Machines.current(kernels.devices());
            CommunicatorOptions communicatorOptions = CommunicatorSettings.communicatorOptions(kernels,
                    options.string("backend", BackendChoice.AUTO), algorithm);
            CollectiveBench.Plan plan = new CollectiveBench.Plan(collective, transport, ranks,
                    CommunicatorSettings.describe(communicatorOptions.reducer()), dtypes, op, root, algorithm, sizes,
                    iterations, warmup);
            Progress progress = terminal.progress(plan.points());
            Progress silent = new Progress(terminal.err(), false, plan.points());
            return transport.onEveryRank(ranks, communicatorOptions, rank -> {
                List<CollectiveBench.Row> rows = CollectiveBench.onRank(rank, plan, rank.rank() == 0 ? progress : silent);
                if (rank.rank() != 0) {
                    return 0;
                }
                progress.finish();
                if (separatePeerJob) {
                    rows = MpiPeerJob.addPeers(plan, rows);
                }
                return report(plan, machine, rows, separatePeerJob, json, terminal);
            }, options, terminal);
        }
    }

    /** Rank 0's part: the table, the JSON file, and exit 1 if any element came out wrong. */
    private int report(CollectiveBench.Plan plan, Machine machine, List<CollectiveBench.Row> rows, boolean separatePeerJob,
                       Path json, Terminal terminal) throws IOException {
        terminal.out().println("k4j bench " + collective.cliName() + ": " + plan.transport().cliName() + " transport, " + plan.ranks()
                + (plan.ranks() == 1 ? " rank" : " ranks") + ", reduction step " + plan.reducer() + ", " + plan.iterations()
                + " timed iterations after " + plan.warmup() + " warm-up; time: median over iterations of the slowest rank; "
                + (separatePeerJob ? "peer: " + collective.mpiRoutine() + " in an MPI job of " + plan.ranks() + " processes run right after; "
                : "") + "on " + machine.summary());
        terminal.out().print(CollectiveBench.table(rows));
        if (json != null) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("machine", machine);
            document.put("benchmarks", rows.stream().map(CollectiveBench.Row::toJson).toList());
            AtomicFiles.writeString(json, ResultsJson.writeDocument(document));
        }
        long wrong = rows.stream().mapToLong(CollectiveBench.Row::wrong).sum();
        if (wrong > 0) {
            terminal.err().println("k4j bench " + collective.cliName() + ": " + wrong + " wrong elements (see #wrong)");
            return 1;
        }
        return 0;
    }

    /** Whether --peer asks for MPI's collective in a job of its own (local transport); the MPI transport always has it in its job. */
    private static boolean separatePeerJob(Options options, CommTransport transport) {
        String peer = options.string("peer", transport == CommTransport.MPI ? "mpi" : "none");
        return switch (peer) {
            case "mpi" -> transport == CommTransport.LOCAL;
            case "none" -> {
                if (transport == CommTransport.MPI) {
                    throw new BadInputException("--peer none: the MPI transport always measures MPI's own collective in the same job");
                }
                yield false;
            }
            default -> throw new BadInputException("--peer: unknown peer '" + peer + "' (mpi or none)");
        };
    }

    private static int root(Options options, int ranks) {
        int root = options.intValue("root", 0, 0);
        if (root >= ranks) {
            throw new BadInputException("--root: " + root + " is not a rank of " + ranks + " (0 to " + (ranks - 1) + ")");
        }
        return root;
    }

    private static List<Long> sizes(Options options) {
        if (options.has("sizes")) {
            for (String sweep : List.of("min-bytes", "max-bytes", "factor")) {
                if (options.has(sweep)) {
                    throw new BadInputException("--sizes and --" + sweep + " exclude each other");
                }
            }
            return options.list("sizes").stream().map(size -> ByteSize.parse("sizes", size)).toList();
        }
        long min = ByteSize.option(options, "min-bytes", DEFAULT_MIN_BYTES);
        long max = ByteSize.option(options, "max-bytes", DEFAULT_MAX_BYTES);
        if (max < min) {
            throw new BadInputException("--max-bytes: " + max + " is less than --min-bytes " + min);
        }
        int factor = options.intValue("factor", 2, 2);
        List<Long> sizes = new ArrayList<>();
        for (long size = min; ; size *= factor) {
            sizes.add(size);
            if (size > max / factor) {
                return sizes;
            }
        }
    }
}
