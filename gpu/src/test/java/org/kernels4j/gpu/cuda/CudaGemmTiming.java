package org.kernels4j.gpu.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.BackendContext;

/**
 * Times the CUDA GEMM on device-resident tensors (no PCIe copies): one line per dtype, layout and size with
 * the median and best of the timed runs, for scripts/gpu-check.sh to set beside PyTorch's numbers. Each call
 * returns when its kernel has finished, so a run's wall-clock time is the kernel plus launch overhead (and,
 * for the NN layout on tensor cores, the repacking transpose of B).
 *
 * <p>Usage: {@code CudaGemmTiming fp32,fp16,bf16,int8 nn,nt 1024,4096,8192 [reps]}.
 */
public final class CudaGemmTiming {
    private static final int WARMUP = 3;

    private CudaGemmTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("args: DTYPES LAYOUTS SIZES [REPS], e.g. fp16,bf16 nn,nt 4096,8192 10");
        }
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        try (CudaBackend cuda = open()) {
            System.out.println("# " + cuda.device().name());
            for (String dtypeName : args[0].split(",")) {
                DType input = DType.fromCliName(dtypeName);
                for (String layout : args[1].split(",")) {
                    for (String size : args[2].split(",")) {
                        long n = Long.parseLong(size);
                        // FP16 and BF16 write their own dtype, as torch.matmul does, so both move the same bytes.
                        DType output = input == DType.FP16 || input == DType.BF16 ? input : GemmSpec.defaultOutputType(input);
                        GemmSpec spec = GemmSpec.builder().inputType(input).outputType(output).m(n).n(n).k(n)
                                .transB(layout.equals("nt")).build();
                        double[] seconds = time(cuda, spec, reps);
                        Arrays.sort(seconds);
                        double median = seconds[seconds.length / 2];
                        System.out.printf(Locale.ROOT, "k4j %s %s %d median_ms %.3f best_ms %.3f tflops %.1f%n", dtypeName,
                                layout, n, median * 1e3, seconds[0] * 1e3, spec.flops() / median / 1e12);
                    }
                }
            }
        }
    }

    private static CudaBackend open() {
        var backend = new CudaBackendProvider().create(BackendContext.defaults());
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalStateException("cuda unavailable: " + backend.availability().reason());
        }
        return cuda;
    }

    private static double[] time(CudaBackend cuda, GemmSpec spec, int reps) {
        try (CudaTensor a = random(cuda, spec.inputType(), spec.aRows(), spec.aCols());
             CudaTensor b = random(cuda, spec.inputType(), spec.bRows(), spec.bCols());
             CudaTensor c = cuda.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc())) {
            for (int i = 0; i < WARMUP; i++) {
                cuda.gemm(spec, a, b, c);
            }
            double[] seconds = new double[reps];
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                cuda.gemm(spec, a, b, c);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            return seconds;
        }
    }

    private static CudaTensor random(CudaBackend cuda, DType dtype, long rows, long cols) {
        SplittableRandom random = new SplittableRandom(rows * 31 + cols);
        try (Tensor host = Tensor.allocate(dtype, rows, cols)) {
            for (long i = 0; i < rows * cols; i++) {
                dtype.write(host.segment(), i, dtype.isFloatingPoint() ? random.nextDouble(-1, 1) : random.nextInt(-128, 128));
            }
            return cuda.upload(host);
        }
    }
}
