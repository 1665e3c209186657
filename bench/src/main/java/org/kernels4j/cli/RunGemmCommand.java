package org.kernels4j.cli;

import java.io.IOException;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyWriter;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * {@code k4j run gemm}: Y = alpha·op(A)·op(B) + beta·C on .npy files.
 *
 * <p>{@code --dtype} is the compute input dtype (default: from A's data: float32 and float64 → fp32,
 * float16 → fp16, int8 → int8). Float data (float32, float16, float64) is rounded to it (nearest even);
 * int8 compute takes int8 data only, and float compute float data only. The output is float32 for
 * floating compute unless {@code --out-dtype} says fp16 (written as float16) or bf16 (written as the
 * float32 values of the BF16 results), and int32 for int8 (or float32 with {@code --out-dtype fp32}).
 * {@code --beta} defaults to 1 when {@code --c} is given, else 0. Every check runs before the product, and
 * the output appears only complete (temporary file, then rename).
 */
final class RunGemmCommand implements Command {
    @Override
    public OptionParser parser() {
        return KernelRunTarget.parser("run gemm", "A", parser -> parser
                .value("a", "A.npy", "A (m×k, or k×m with --trans-a)")
                .value("b", "B.npy", "B (k×n, or n×k with --trans-b)")
                .value("c", "C.npy", "C (m×n), added as beta·C")
                .value("alpha", "X", "alpha (default 1)")
                .value("beta", "Y", "beta (default 1 with --c, else 0)")
                .flag("trans-a", "use Aᵀ")
                .flag("trans-b", "use Bᵀ"));
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        KernelRunTarget target = KernelRunTarget.of(options);
        float alpha = options.floatValue("alpha", 1f);
        float beta = options.floatValue("beta", options.has("c") ? 1f : 0f);
        if (beta != 0f && !options.has("c")) {
            throw new BadInputException("--beta " + options.string("beta", "") + " needs --c (the C that beta scales)");
        }
        DType requested = options.has("dtype") ? GemmDtypes.requireInput("dtype", options.dtype("dtype", null)) : null;
        boolean transA = options.has("trans-a");
        boolean transB = options.has("trans-b");
        try (NpyArray aFile = NpyInput.read("a", options.requiredPath("a"));
             NpyArray bFile = NpyInput.read("b", options.requiredPath("b"));
             NpyArray cFile = options.has("c") ? NpyInput.read("c", options.optionalPath("c")) : null) {
            DType dtype = requested != null ? requested : InputData.inferred("a", aFile, "GEMM");
            String dtypeOrigin = requested != null ? "--dtype " + dtype.cliName() : "--dtype " + dtype.cliName() + " (from --a)";
            InputData.requireKind("a", aFile, dtype, dtypeOrigin);
            InputData.requireKind("b", bFile, dtype, dtypeOrigin);
            requireMatrix("a", aFile);
            requireMatrix("b", bFile);
            GemmSpec spec = spec(options, aFile, transA, bFile, transB, dtype, alpha, beta);
            if (cFile != null) {
                requireC(cFile, spec);
            }
            try (Tensor a = aFile.toTensor(dtype);
                 Tensor b = bFile.toTensor(dtype);
                 Tensor c = cFile != null ? cFile.toTensor(spec.outputType()) : Tensor.allocate(spec.outputType(), spec.m(), spec.n());
                 Kernels kernels = Kernels.open(new BackendContext(target.threads()))) {
                Backend backend = BackendChoice.forSpec(kernels, target.backend(), spec);
                long start = System.nanoTime();
                backend.gemm(spec, a, b, c);
                double millis = (System.nanoTime() - start) * 1e-6;
                NpyWriter.write(target.out(), c);
                terminal.out().printf("gemm %d×%d×%d %s→%s ran on %s (%s) in %.3f ms; wrote %s (%s %s)%n",
                        spec.m(), spec.n(), spec.k(), dtype.cliName(), spec.outputType().cliName(), backend.name(),
                        backend.device().name(), millis, target.out(), NpyDType.forTensor(spec.outputType()).numpyName(),
                        NpyArray.formatShape(c.shape()));
            }
        }
        return 0;
    }

    private static void requireMatrix(String option, NpyArray file) {
        if (file.rank() != 2) {
            throw new BadInputException(NpyInput.named(option, file) + " has shape " + NpyArray.formatShape(file.shape())
                    + " (rank " + file.rank() + ") but GEMM needs a matrix (rank 2)");
        }
    }

    private static GemmSpec spec(Options options, NpyArray a, boolean transA, NpyArray b, boolean transB, DType dtype,
                                 float alpha, float beta) {
        long[] as = a.shape();
        long[] bs = b.shape();
        long m = transA ? as[1] : as[0];
        long k = transA ? as[0] : as[1];
        long kb = transB ? bs[1] : bs[0];
        long n = transB ? bs[0] : bs[1];
        if (k != kb) {
            throw new BadInputException("inner dimensions differ: op(A) from " + NpyInput.named("a", a) + " " + NpyArray.formatShape(as)
                    + (transA ? " transposed" : "") + " is " + m + "×" + k + " and op(B) from " + NpyInput.named("b", b) + " "
                    + NpyArray.formatShape(bs) + (transB ? " transposed" : "") + " is " + kb + "×" + n + " (" + k + " ≠ " + kb + ")");
        }
        DType outType = options.has("out-dtype") ? options.dtype("out-dtype", null) : GemmSpec.defaultOutputType(dtype);
        try {
            return GemmSpec.builder().m(m).n(n).k(k).transA(transA).transB(transB).alpha(alpha).beta(beta)
                    .inputType(dtype).outputType(outType).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("run gemm: " + e.getMessage() + " (--dtype " + dtype.cliName() + ", --out-dtype "
                    + outType.cliName() + ", --alpha " + alpha + ", --beta " + beta + ")");
        }
    }

    private static void requireC(NpyArray c, GemmSpec spec) {
        DType out = spec.outputType();
        boolean fits = out.isFloatingPoint() ? c.dtype().isFloatingPoint() : !c.dtype().isFloatingPoint();
        if (!fits) {
            throw new BadInputException(NpyInput.named("c", c) + " holds " + c.dtype().numpyName() + " data but the "
                    + out.cliName() + " output needs " + (out.isFloatingPoint() ? "float" : "int8 or int32") + " data");
        }
        long[] shape = c.shape();
        if (shape.length != 2 || shape[0] != spec.m() || shape[1] != spec.n()) {
            throw new BadInputException(NpyInput.named("c", c) + " has shape " + NpyArray.formatShape(shape) + " but C must be m×n = "
                    + spec.m() + "×" + spec.n());
        }
    }
}
