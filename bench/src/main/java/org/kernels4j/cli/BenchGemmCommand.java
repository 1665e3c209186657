package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;

/**
 * {@code k4j bench gemm}: median throughput with its spread per dtype × shape × threads, next to
 * OpenBLAS measured in the same run on the same operands with the same thread count, interleaved call by call with
 * ours (see {@link GemmBench}). {@code --json FILE}
 * writes the rows as a results file (the schema of {@code k4j report}, mode "bench"), which {@code k4j compare}
 * reads. Exits 1 when a backend failed on some point (the other points are still measured).
 */
final class BenchGemmCommand implements Command {
    static final List<GemmShape> DEFAULT_SHAPES = List.of(GemmShape.square(256), GemmShape.square(512), GemmShape.square(1024));
    private static final String PEER = "openblas";
    private static final int WARMUP_CALLS = 5;

    @Override
    public OptionParser parser() {
        return BenchRunOptions.declare(new OptionParser("bench gemm")
                .value("backend", "NAME", "backend to measure (default auto: dispatch's choice)")
                .value("dtype", "LIST", "input dtypes, comma-separated (default fp32,fp16,bf16,int8)")
                .value("sizes", "LIST", "square sizes or MxNxK shapes, comma-separated (default 256,512,1024)")
                .value("threads", "LIST", "thread counts, comma-separated (default: all processors)")
                .flag("trans-a", "use Aᵀ")
                .flag("trans-b", "use Bᵀ"), PEER, WARMUP_CALLS);
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        Path json = BenchRunOptions.json(options);
        boolean transA = options.has("trans-a");
        boolean transB = options.has("trans-b");
        GemmBench.Plan plan = new GemmBench.Plan(
                List.of(options.string("backend", BackendChoice.AUTO)),
                GemmDtypes.requireInputs("dtype", options.dtypes("dtype", GemmDtypes.INPUTS)),
                shapes(options).stream().map(shape -> new GemmProblem("", shape, transA, transB)).toList(),
                options.intList("threads", List.of(Runtime.getRuntime().availableProcessors()), 1),
                BenchRunOptions.peer(options, PEER),
                BenchRunOptions.timer(options, WARMUP_CALLS),
                true, GemmBench.NO_CALL_LIMIT);
        String startedAt = Instant.now().toString();
        return BenchOutput.publish("k4j bench gemm", startedAt, GemmBench.run(plan, terminal), terminal, json);
    }

    private static List<GemmShape> shapes(Options options) {
        if (!options.has("sizes")) {
            return DEFAULT_SHAPES;
        }
        return options.list("sizes").stream().map(text -> {
            try {
                return GemmShape.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--sizes: " + e.getMessage());
            }
        }).toList();
    }
}
