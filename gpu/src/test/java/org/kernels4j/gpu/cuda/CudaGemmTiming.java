package org.kernels4j.gpu.cuda;

import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * Times the CUDA GEMM on device-resident tensors (no PCIe copies): one line per dtype, layout and size with
 * the median and best of the timed runs, for scripts/gpu-check.sh to set beside PyTorch's numbers. A run's
 * wall-clock time is the kernel plus launch overhead (and, for the NN layout on tensor cores, the repacking
 * transpose of B). FP16 and BF16 write their own dtype, as torch.matmul does, so both move the same bytes.
 *
 * <p>Usage: {@code CudaGemmTiming fp32,fp16,bf16,int8 nn,nt 1024,4096,8192 [reps]}.
 */
public final class CudaGemmTiming {
    private CudaGemmTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("args: DTYPES LAYOUTS SIZES [REPS], e.g. fp16,bf16 nn,nt 4096,8192 10");
        }
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        try (CudaBackend cuda = DeviceTiming.openCuda()) {
            System.out.println("# " + cuda.device().name());
            for (String dtypeName : args[0].split(",")) {
                DType input = DType.fromCliName(dtypeName);
                DType output = input == DType.FP16 || input == DType.BF16 ? input : GemmSpec.defaultOutputType(input);
                for (String layout : args[1].split(",")) {
                    for (String size : args[2].split(",")) {
                        long n = Long.parseLong(size);
                        GemmSpec spec = GemmSpec.builder().inputType(input).outputType(output).m(n).n(n).k(n)
                                .transB(layout.equals("nt")).build();
                        try (CudaTensor a = DeviceTiming.random(cuda, input, spec.aRows(), spec.aCols());
                             CudaTensor b = DeviceTiming.random(cuda, input, spec.bRows(), spec.bCols());
                             CudaTensor c = cuda.allocate(output, n, n)) {
                            DeviceTiming.timeAndPrint(cuda, dtypeName + " " + layout + " " + n, spec.flops(), reps,
                                    () -> cuda.gemm(spec, a, b, c));
                        }
                    }
                }
            }
        }
    }
}
