package org.kernels4j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kernels4j.BackendUnavailableException;

/**
 * The {@code k4j} command line. Exit codes: 0 success; 1 a check failed or an internal error (with
 * the message); 2 bad input (one line on stderr naming the problem and the values; no stack trace; no
 * output file left behind); 3 a backend or peer that was asked for is unavailable (with the reason).
 * Set the environment variable {@code K4J_DEBUG} to also get the stack trace of an internal error.
 */
public final class K4j {
    static final String USAGE = """
            k4j: kernels4j's command line (GEMM and conv2d in FP32, FP16, BF16 and INT8 on every backend found; collectives)

            usage: k4j COMMAND [options]        (k4j COMMAND --help lists a command's options)

              devices                           backends and peers: device, dtypes, availability and why not
              run gemm --a A.npy --b B.npy [--c C.npy] [--alpha X] [--beta Y] [--trans-a] [--trans-b]
                       [--dtype fp32|fp16|bf16|int8] [--out-dtype DTYPE] [--backend NAME|auto]
                       [--threads N] --out Y.npy
                                                Y = alpha·op(A)·op(B) + beta·C; float inputs are rounded to
                                                --dtype (default from A); Y is float32 (int32 for int8)
                                                unless --out-dtype says otherwise
              run allreduce --in R0.npy,R1.npy,... --op sum|prod|max|min|avg [--transport local|mpi]
                       [--dtype fp32|fp16|bf16|int8|int32] [--backend NAME|auto] [--out-dtype DTYPE]
                       [--algorithm auto|ring|recursive-doubling|halving-doubling|tree] --out Y.npy
                                                one input per rank (all of one shape), reduced on every rank;
                                                exit 1 unless all ranks agree bit for bit; Y is float32 for
                                                float dtypes, the dtype itself for int8/int32 (which wrap)
              run conv2d --x X.npy --w W.npy [--bias B.npy] [--stride S[,S]] [--pad P|P,P|T,B,L,R]
                         [--dilation D[,D]] [--groups G] [--layout nchw|nhwc] [--dtype fp32|fp16|bf16|int8]
                         [--out-dtype DTYPE] [--backend NAME|auto] [--threads N] --out Y.npy
                                                Y = conv2d(X, W) + bias; X [N,C,H,W] and W [K,C/G,R,S] (nchw) or
                                                X [N,H,W,C] and W [K,R,S,C/G] (nhwc); dtypes as for run gemm
              validate [--backend NAME] [--op gemm|conv2d] [--dtype LIST] [--quick] [--threads N]
                                                every available backend against the reference; exit 1 on FAIL
              bench gemm [--backend NAME|auto] [--dtype LIST] [--sizes 256,512,MxNxK] [--threads LIST]
                         [--trans-a] [--trans-b] [--peer openblas|none] [--reps N] [--warmup N] [--json FILE]
                                                median throughput and spread, next to OpenBLAS in the same run
              bench conv2d [--backend NAME|auto] [--dtype LIST] [--layers resnet50|deepbench|FILE] [--only LIST]
                         [--batch 1,8] [--layout nhwc|nchw] [--threads N] [--peer onednn|none] [--reps N]
                         [--warmup N] [--json FILE]
                                                per layer and summed over the set: median GFLOP/s (GOP/s int8),
                                                spread, and the ratio to oneDNN in the same run
              bench allreduce|reducescatter|allgather|broadcast [--transport local|mpi] [--peer mpi|none]
                         [--ranks N] [--dtype LIST] [--op OP] [--root R] [--min-bytes 8] [--max-bytes 64M]
                         [--factor 2 | --sizes LIST] [--iters 20] [--warmup 5] [--algorithm A] [--backend NAME|auto]
                         [--json FILE]
                                                the nccl-tests table: size, count, type, redop, root, time,
                                                algbw, busbw, #wrong (exit 1 if any); size is the largest
                                                buffer (reducescatter: each rank's input, allgather: the
                                                gathered output); --op: reducing ones, --root: broadcast,
                                                --algorithm: allreduce; --transport mpi adds MPI's own
                                                collective (MPI_Allreduce, ...) measured in the same run,
                                                --transport local --peer mpi in an MPI job right after
              bench --jmh [JMH options]         the JMH suites (GemmBenchmark, ConvBenchmark), e.g.
                                                bench --jmh -p implementation=vector-cpu,openblas -p dtype=fp32
                                                bench --jmh ConvBenchmark -p layer=res4_branch2b -p dtype=fp32
              report [--quick|--full] [--out DIR] [--backend LIST] [--dtype LIST] [--jmh FILE] [--quiet]
                                                validate + benchmark everything available: DIR/index.html (tables
                                                and plots), DIR/results.json, DIR/report.txt (default DIR k4j-report)
              compare A.json B.json [...] [--out DIR]
                                                results side by side: rates, speed-ups over A, dtype gains over FP32
              dist [--out DIR]                  (the k4j script of the source tree provides it) writes DIR
                                                (default dist/ there): a Java runtime, the jars and a k4j that
                                                runs them; copy DIR to a Linux x86-64 machine, no Java needed
              help                              this text

            --transport mpi: k4j starts the ranks itself (mpirun -np <inputs or --ranks>; needs Open MPI's
            mpirun and libmpi, else exit 3) and rank 0 writes the output or prints the table.
            exit codes: 0 ok; 1 a check failed or internal error; 2 bad input; 3 backend unavailable
            """;


    /** The operations of {@code k4j run} and {@code k4j bench}, in the order error messages list them. */
    private static final Map<String, Supplier<Command>> RUN_COMMANDS = operations(Map.entry(Operation.GEMM, RunGemmCommand::new),
            Map.entry(Operation.CONV2D, RunConv2dCommand::new), Map.entry(Operation.ALLREDUCE, RunAllReduceCommand::new));
    private static final Map<String, Supplier<Command>> BENCH_COMMANDS = operations(Map.entry(Operation.GEMM, BenchGemmCommand::new),
            Map.entry(Operation.CONV2D, BenchConv2dCommand::new), collectiveBench(BenchedCollective.ALL_REDUCE), collectiveBench(BenchedCollective.REDUCE_SCATTER),
            collectiveBench(BenchedCollective.ALL_GATHER), collectiveBench(BenchedCollective.BROADCAST));

    private K4j() {
    }

    public static void main(String[] args) {
        // The launcher knows whether stderr is a terminal (Java sees only stdin and stdout); run directly, the console decides.
        String progress = System.getProperty("k4j.progress");
        boolean interactive = progress != null ? Boolean.parseBoolean(progress) : System.console() != null && System.console().isTerminal();
        System.exit(run(args, System.out, System.err, interactive));
    }

    /** Runs one command line, writing to {@code out} and {@code err} (no progress output); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        if (args == null || out == null || err == null) {
            throw new IllegalArgumentException("args, out, err: none may be null (got " + args + ", " + out + ", " + err + ")");
        }
        Terminal terminal = new Terminal(out, err, interactive);
        try {
            return dispatch(Arrays.asList(args), terminal);
        } catch (BadInputException e) {
            err.println("k4j: " + oneLine(e.getMessage()));
            return 2;
        } catch (BackendUnavailableException e) {
            err.println("k4j: unavailable: " + oneLine(e.getMessage()));
            return 3;
        } catch (Exception | Error e) {
            err.println("k4j: internal error: " + oneLine(String.valueOf(e)));
            if (System.getenv("K4J_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, Terminal terminal) throws Exception {
        if (args.isEmpty()) {
            throw new BadInputException("no command given (k4j help lists the commands)");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "help", "--help", "-h" -> {
                terminal.out().print(USAGE);
                yield 0;
            }
            case "devices" -> command(new DevicesCommand(), rest, terminal);
            case "run" -> operationCommand("run", RUN_COMMANDS, rest, terminal);
            case "validate" -> command(new ValidateCommand(), rest, terminal);
            case "bench" -> {
                if (!rest.isEmpty() && rest.get(0).equals("--jmh")) {
                    yield JmhCommand.run(rest.subList(1, rest.size()), terminal);
                }
                yield operationCommand("bench", BENCH_COMMANDS, rest, terminal);
            }
            case "report" -> command(new ReportCommand(), rest, terminal);
            case "compare" -> command(new CompareCommand(), rest, terminal);
            default -> throw new BadInputException("unknown command '" + args.get(0)
                    + "' (devices, run, validate, bench, report, compare or help)");
        };
    }

    /**
     * {@code run} and {@code bench} name the operation first ("k4j run gemm ..."); "k4j run --help" shows
     * the GEMM options.
     */
    private static int operationCommand(String name, Map<String, Supplier<Command>> commands, List<String> rest,
                                        Terminal terminal) throws Exception {
        if (rest.equals(List.of("--help"))) {
            return command(commands.get(Operation.GEMM).get(), rest, terminal);
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new BadInputException(name + ": name the operation first, e.g. k4j " + name + " gemm"
                    + (rest.isEmpty() ? "" : " " + String.join(" ", rest)));
        }
        Supplier<Command> command = commands.get(rest.get(0));
        if (command == null) {
            throw new BadInputException(name + ": unknown operation '" + rest.get(0) + "' (" + String.join(", ", commands.keySet()) + ")");
        }
        return command(command.get(), rest.subList(1, rest.size()), terminal);
    }

    private static int command(Command command, List<String> args, Terminal terminal) throws Exception {
        OptionParser parser = command.parser();
        Options options = parser.parse(args);
        if (options.has(OptionParser.HELP)) {
            terminal.out().print(parser.usage());
            return 0;
        }
        return command.run(options, terminal);
    }

    private static Map.Entry<String, Supplier<Command>> collectiveBench(BenchedCollective collective) {
        return Map.entry(collective.cliName(), () -> new BenchCollectiveCommand(collective));
    }

    @SafeVarargs
    private static Map<String, Supplier<Command>> operations(Map.Entry<String, Supplier<Command>>... entries) {
        Map<String, Supplier<Command>> operations = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<Command>> entry : entries) {
            operations.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(operations);
    }

    /** Messages must stay on one line, whatever an exception's text holds. */
    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
