package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * {@code k4j validate}: every available backend other than the reference (or the one named by
 * {@code --backend}, the reference included) against the reference, on {@link GemmValidationCases};
 * prints a table and exits 1 when any case fails.
 */
final class ValidateCommand implements Command {
    @Override
    public OptionParser parser() {
        return new OptionParser("validate")
                .value("backend", "NAME", "check only this backend (default: every available one but the reference)")
                .value("op", "gemm", "operation to check (gemm; conv2d and allreduce come later)")
                .value("dtype", "LIST", "input dtypes, comma-separated (default fp32,fp16,bf16,int8)")
                .flag("quick", "fewer shapes (a few seconds)")
                .value("threads", "N", "CPU threads (default: all processors)");
    }

    @Override
    public int run(Options options, Terminal terminal) {
        Operation.requireGemm(options.string("op", Operation.GEMM), "--op");
        List<DType> dtypes = GemmDtypes.requireInputs("dtype", options.dtypes("dtype", GemmDtypes.INPUTS));
        int threads = options.intValue("threads", Runtime.getRuntime().availableProcessors(), 1);
        try (Kernels kernels = Kernels.open(new BackendContext(threads))) {
            List<Backend> backends = options.has("backend")
                    ? List.of(BackendChoice.named(kernels, options.string("backend", "")))
                    : checkedBackends(kernels);
            if (backends.isEmpty()) {
                terminal.err().println("k4j validate: no backend to check: only the reference is available (see k4j devices)");
                return 0;
            }
            List<GemmValidation.Row> rows = GemmValidation.run(backends, dtypes, options.has("quick"), terminal);
            terminal.out().print(GemmValidation.detailTable(rows));
            terminal.out().println(GemmValidation.totals(rows));
            return GemmValidation.anyFailed(rows) ? 1 : 0;
        }
    }

    /** Every available backend that has GEMM kernels (some dtype), except the reference, in dispatch order. */
    static List<Backend> checkedBackends(Kernels kernels) {
        return kernels.devices().stream()
                .filter(d -> d.availability().available() && !d.dtypes().isEmpty() && !d.backend().equals(ReferenceBackend.NAME))
                .map(d -> kernels.backend(d.backend()))
                .toList();
    }
}
