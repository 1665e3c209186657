package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyWriter;

/**
 * {@code k4j run allreduce}: one .npy input per rank (the number of files is the number of ranks), all of
 * one shape; every rank all-reduces its input and the result, which must be bitwise the same on every
 * rank (else exit 1 naming the ranks), is written.
 *
 * <p>{@code --dtype} is the dtype of the collective's buffers (default from the first input: float32 and
 * float64 → fp32, float16 → fp16, int8 → int8, int32 → int32). Float data is rounded to it (nearest even);
 * int8 takes int8 data, int32 int8 or int32 data. A collective keeps its dtype: integer sums and products
 * wrap (int8 modulo 2^8). The output is float32 for float dtypes (exact) unless {@code --out-dtype} names
 * the dtype itself (bf16 is written as float32 values), and the integer dtype for integers (or int32 for
 * int8). Every check runs before any rank starts; the output appears only complete.
 *
 * <p>With {@code --transport mpi} the ranks are processes that k4j starts under mpirun (one per input);
 * rank 0 writes the output and prints the summary.
 */
final class RunAllReduceCommand implements Command {
    @Override
    public OptionParser parser() {
        return new OptionParser("run allreduce")
                .value(CommTransport.OPTION, "local|mpi", CommTransport.HELP)
                .value("in", "R0.npy,R1.npy,...", "one input per rank, comma-separated; all of one shape")
                .value("op", "sum|prod|max|min|avg", "the reduction (avg: float dtypes only)")
                .value("dtype", "fp32|fp16|bf16|int8|int32", "the collective's dtype (default from the first input)")
                .value("algorithm", "A", CommunicatorSettings.ALGORITHM_HELP)
                .value("backend", "NAME", CommunicatorSettings.BACKEND_HELP)
                .value("out-dtype", "DTYPE", "output dtype (default fp32 for float dtypes, else the dtype itself)")
                .value("out", "Y.npy", "where to write the result");
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        Path outPath = OutputPath.checked("out", options.requiredPath("out"));
        CommTransport transport = CommTransport.from(options);
        options.required("op");
        ReduceOp op = options.reduceOp("op", null);
        Algorithm algorithm = CommunicatorSettings.algorithm(options);
        String backendName = options.string("backend", BackendChoice.AUTO);
        List<Path> inputs = inputPaths(options.required("in"));
        InputCheck check = InputCheck.of(inputs, options.dtype("dtype", null));
        if (!op.supports(check.dtype())) {
            throw new BadInputException("--op " + op.cliName() + " is not defined for integer dtype " + check.dtype().cliName()
                    + " (an integer average would need a rounding rule; use sum and divide)");
        }
        DType outDtype = outDtype(options, check.dtype());
        AllReduceJob job = new AllReduceJob(inputs, check.dtype(), op, algorithm);
        try (Kernels kernels = Kernels.open()) {
            CommunicatorOptions communicatorOptions = CommunicatorSettings.communicatorOptions(kernels, backendName, algorithm);
            return transport.onEveryRank(inputs.size(), communicatorOptions, rank -> {
                try (AllReduceJob.RankResult result = job.onRank(rank.communicator())) {
                    return rank.rank() == 0
                            ? finish(result, job, check, transport, communicatorOptions, outDtype, outPath, terminal) : 0;
                }
            }, options, terminal);
        }
    }

    private static int finish(AllReduceJob.RankResult rankZero, AllReduceJob job, InputCheck check, CommTransport transport,
                              CommunicatorOptions communicatorOptions, DType outDtype, Path outPath, Terminal terminal)
            throws IOException {
        int ranks = job.inputs().size();
        String what = "allreduce " + job.op().cliName() + " " + job.dtype().cliName() + " " + NpyArray.formatShape(check.shape())
                + " over " + ranks + (ranks == 1 ? " rank" : " ranks");
        if (!rankZero.ranksDifferingFromRankZero().isEmpty()) {
            terminal.err().println("k4j: " + what + ": rank(s) " + rankZero.ranksDifferingFromRankZero().stream()
                    .map(String::valueOf).collect(Collectors.joining(", ")) + " got results that differ from rank 0's; wrote nothing");
            return 1;
        }
        Tensor reduced = rankZero.reduced();
        if (outDtype == job.dtype()) {
            NpyWriter.write(outPath, reduced);
        } else {
            try (Tensor converted = reduced.convertTo(outDtype)) {
                NpyWriter.write(outPath, converted);
            }
        }
        long bytes = reduced.elementCount() * job.dtype().byteSize();
        terminal.out().printf(Locale.ROOT, "%s (%s transport, %s, %s) in %.3f ms; all ranks agree; wrote %s (%s %s)%n", what,
                transport.cliName(), CommunicatorSettings.cliName(job.algorithm().forAllReduce(bytes, ranks)),
                CommunicatorSettings.describe(communicatorOptions.reducer()), rankZero.seconds() * 1e3, outPath,
                NpyDType.forTensor(outDtype).numpyName(), NpyArray.formatShape(reduced.shape()));
        return 0;
    }

    private static List<Path> inputPaths(String value) {
        if (value.isBlank()) {
            throw new BadInputException("--in: no input files (give one .npy per rank, comma-separated)");
        }
        List<Path> paths = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            if (item.isBlank()) {
                throw new BadInputException("--in: '" + value + "' has an empty item");
            }
            try {
                paths.add(Path.of(item.strip()));
            } catch (InvalidPathException e) {
                throw new BadInputException("--in: '" + item + "' is not a valid path (" + e.getReason() + ")");
            }
        }
        return paths;
    }

    /** Every value of {@code dtype} is exact in the output: fp32 (float dtypes), int32 (int8), or the dtype itself. */
    private static DType outDtype(Options options, DType dtype) {
        DType wider = dtype.isFloatingPoint() ? DType.FP32 : DType.INT32;
        DType requested = options.dtype("out-dtype", dtype.isFloatingPoint() ? DType.FP32 : dtype);
        if (requested != dtype && requested != wider) {
            throw new BadInputException("--out-dtype " + requested.cliName() + " cannot hold every " + dtype.cliName()
                    + " result exactly (give " + (dtype == wider ? dtype.cliName() : dtype.cliName() + " or " + wider.cliName()) + ")");
        }
        return requested;
    }

    /**
     * The shape and dtype that every input was checked against: the files exist, are .npy, hold data that
     * fits the dtype and share one shape. Each file is read once here and closed; the ranks read their own again.
     */
    private record InputCheck(DType dtype, long[] shape) {
        static InputCheck of(List<Path> inputs, DType requested) {
            DType dtype = requested;
            String dtypeOrigin = null;
            String firstSource = null;
            long[] shape = null;
            for (Path path : inputs) {
                try (NpyArray file = NpyInput.read("in", path)) {
                    if (dtype == null) {
                        dtype = inferred(file);
                        dtypeOrigin = " (from " + file.source() + ")";
                    }
                    requireFits(file, dtype, "--dtype " + dtype.cliName() + (dtypeOrigin == null ? "" : dtypeOrigin));
                    if (shape == null) {
                        shape = file.shape();
                        firstSource = file.source();
                    } else if (!Arrays.equals(shape, file.shape())) {
                        throw new BadInputException("--in: shapes differ: " + file.source() + " has shape "
                                + NpyArray.formatShape(file.shape()) + " but " + firstSource + " has shape "
                                + NpyArray.formatShape(shape) + " (every rank's input must have the same shape)");
                    }
                }
            }
            return new InputCheck(dtype, shape);
        }

        private static DType inferred(NpyArray file) {
            return switch (file.dtype()) {
                case FLOAT32, FLOAT64 -> DType.FP32;
                case FLOAT16 -> DType.FP16;
                case INT8 -> DType.INT8;
                case INT32 -> DType.INT32;
            };
        }

        private static void requireFits(NpyArray file, DType dtype, String dtypeOrigin) {
            String needs = switch (dtype) {
                case FP32, FP16, BF16 -> file.dtype().isFloatingPoint() ? null : "float data (float32, float16 or float64)";
                case INT8 -> file.dtype() == NpyDType.INT8 ? null : "int8 data";
                case INT32 -> file.dtype().isFloatingPoint() ? "int8 or int32 data" : null;
            };
            if (needs != null) {
                throw new BadInputException(NpyInput.named("in", file) + " holds " + file.dtype().numpyName() + " data but "
                        + dtypeOrigin + " needs " + needs);
            }
        }
    }
}
