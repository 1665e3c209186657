package org.kernels4j.gpu.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.spi.BackendContext;

/**
 * Times the CUDA convolution on device-resident tensors, one line per dtype, layout and layer, in the format
 * scripts/gpu_bench_torch.py prints for cuDNN. Layers are NAME:C:H:K:R:STRIDE:PAD (square images and filters);
 * FP16 and BF16 write their own dtype, as torch's conv2d does.
 *
 * <p>Usage: {@code CudaConvTiming fp32,fp16 nhwc,nchw conv1:3:224:64:7:2:3,... BATCH [REPS]}.
 */
public final class CudaConvTiming {
    private static final int WARMUP = 3;

    private CudaConvTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("args: DTYPES LAYOUTS LAYERS BATCH [REPS]");
        }
        int batch = Integer.parseInt(args[3]);
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        var backend = new CudaBackendProvider().create(BackendContext.defaults());
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalStateException("cuda unavailable: " + backend.availability().reason());
        }
        try (cuda) {
            System.out.println("# " + cuda.device().name());
            for (String dtypeName : args[0].split(",")) {
                DType input = DType.fromCliName(dtypeName);
                DType output = input == DType.FP16 || input == DType.BF16 ? input : Conv2dSpec.defaultOutputType(input);
                for (String layoutName : args[1].split(",")) {
                    Layout layout = Layout.valueOf(layoutName.toUpperCase(Locale.ROOT));
                    for (String layer : args[2].split(",")) {
                        String[] f = layer.split(":");
                        int h = Integer.parseInt(f[2]);
                        int r = Integer.parseInt(f[4]);
                        Conv2dSpec spec = Conv2dSpec.builder().layout(layout).n(batch).c(Integer.parseInt(f[1])).inputSize(h, h)
                                .k(Integer.parseInt(f[3])).filterSize(r, r).stride(Integer.parseInt(f[5]))
                                .padding(Integer.parseInt(f[6])).inputType(input).outputType(output).build();
                        double[] seconds = time(cuda, spec, reps);
                        Arrays.sort(seconds);
                        double median = seconds[seconds.length / 2];
                        System.out.printf(Locale.ROOT, "k4j conv %s %s %s median_ms %.3f best_ms %.3f tflops %.1f%n", dtypeName,
                                layoutName, f[0], median * 1e3, seconds[0] * 1e3, spec.flops() / median / 1e12);
                    }
                }
            }
        }
    }

    private static double[] time(CudaBackend cuda, Conv2dSpec spec, int reps) {
        try (CudaTensor x = random(cuda, spec.inputType(), spec.xShape());
             CudaTensor w = random(cuda, spec.inputType(), spec.wShape());
             CudaTensor y = cuda.allocate(spec.outputType(), spec.yShape())) {
            for (int i = 0; i < WARMUP; i++) {
                cuda.conv2d(spec, x, w, null, y);
            }
            double[] seconds = new double[reps];
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                cuda.conv2d(spec, x, w, null, y);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            return seconds;
        }
    }

    private static CudaTensor random(CudaBackend cuda, DType dtype, long[] shape) {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(shape));
        try (Tensor host = Tensor.allocate(dtype, shape)) {
            for (long i = 0; i < host.elementCount(); i++) {
                dtype.write(host.segment(), i, dtype.isFloatingPoint() ? random.nextDouble(-1, 1) : random.nextInt(-128, 128));
            }
            return cuda.upload(host);
        }
    }
}
