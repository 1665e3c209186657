package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.validate.Conv2dCase;

/**
 * {@code k4j validate}: every available backend other than the reference that runs the operation (or the one named
 * by {@code --backend}, the reference included) against the reference, on {@link GemmValidationCases} or
 * {@link Conv2dValidationCases}; prints a table and exits 1 when any case fails.
 */
final class ValidateCommand implements Command {
    @Override
    public OptionParser parser() {
        return new OptionParser("validate")
                .value("backend", "NAME", "check only this backend (default: every available one but the reference)")
                .value("op", "gemm|conv2d", "operation to check (default gemm; allreduce comes later)")
                .value("dtype", "LIST", "input dtypes, comma-separated (default fp32,fp16,bf16,int8)")
                .flag("quick", "fewer shapes (a few seconds)")
                .value("threads", "N", "CPU threads (default: all processors)");
    }

    @Override
    public int run(Options options, Terminal terminal) {
        String op = Operation.require(options.string("op", Operation.GEMM), "--op");
        List<DType> dtypes = GemmDtypes.requireInputs("dtype", options.dtypes("dtype", GemmDtypes.INPUTS), op);
        int threads = options.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        boolean quick = options.has("quick");
        try (Kernels kernels = Kernels.open(new BackendContext(threads))) {
            List<Backend> backends;
            if (options.has("backend")) {
                backends = List.of(BackendChoice.named(kernels, options.string("backend", "")));
            } else if (op.equals(Operation.CONV2D)) {
                backends = convBackends(checkedBackends(kernels), dtypes, quick);
            } else {
                backends = checkedBackends(kernels);
            }
            if (backends.isEmpty()) {
                terminal.err().println("k4j validate: no backend to check for " + op
                        + ": only the reference is available (see k4j devices)");
                return 0;
            }
            List<Validation.Row> rows = op.equals(Operation.CONV2D)
                    ? Conv2dValidation.run(backends, dtypes, quick, terminal)
                    : GemmValidation.run(backends, dtypes, quick, terminal);
            terminal.out().print(Validation.detailTable(rows));
            terminal.out().println(Validation.totals(rows));
            return Validation.anyFailed(rows) ? 1 : 0;
        }
    }

    /** Those of {@code backends} that have convolution kernels for some of the cases of {@code dtypes}. */
    static List<Backend> convBackends(List<Backend> backends, List<DType> dtypes, boolean quick) {
        List<Conv2dCase> cases = Conv2dValidation.cases(dtypes, quick);
        return backends.stream().filter(b -> Conv2dValidation.hasConvolutions(b, cases)).toList();
    }

    /** Every available backend that has GEMM kernels (some dtype), except the reference, in dispatch order. */
    static List<Backend> checkedBackends(Kernels kernels) {
        return kernels.devices().stream()
                .filter(d -> d.availability().available() && !d.dtypes().isEmpty() && !d.backend().equals(ReferenceBackend.NAME))
                .map(d -> kernels.backend(d.backend()))
                .toList();
    }
}
