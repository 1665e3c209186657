package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where {@code k4j run gemm} and {@code run conv2d} run and write: the options they share around their operands'
 * own, and what those options say.
 *
 * @param out     where to write Y (--out, checked before anything runs)
 * @param threads CPU threads (--threads, default all processors)
 * @param backend the backend's name (--backend, default auto)
 */
record KernelRunTarget(Path out, int threads, String backend) {
    KernelRunTarget {
        Objects.requireNonNull(out, "out");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        Objects.requireNonNull(backend, "backend");
    }

    /**
     * The parser of {@code command}: --backend, then the operands' options that {@code operandOptions} declares, then
     * --dtype (by default from {@code firstInput}'s data), --out-dtype, --out and --threads.
     */
    static OptionParser parser(String command, String firstInput, UnaryOperator<OptionParser> operandOptions) {
        Objects.requireNonNull(firstInput, "firstInput");
        OptionParser parser = new OptionParser(command)
                .value("backend", "NAME", "backend to run on (default auto: the fastest available; see k4j devices)");
        return operandOptions.apply(parser)
                .value("dtype", "fp32|fp16|bf16|int8", "compute input dtype (default from " + firstInput + "'s data)")
                .value("out-dtype", "DTYPE", "output dtype (default fp32; int32 for int8)")
                .value("out", "Y.npy", "where to write Y")
                .value("threads", "N", "CPU threads (default: all processors)");
    }

    static KernelRunTarget of(Options options) {
        Objects.requireNonNull(options, "options");
        Path out = OutputPath.checked("out", options.requiredPath("out"));
        int threads = options.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        return new KernelRunTarget(out, threads, options.string("backend", BackendChoice.AUTO));
    }
}
