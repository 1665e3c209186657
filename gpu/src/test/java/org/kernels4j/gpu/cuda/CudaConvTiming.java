package org.kernels4j.gpu.cuda;

import java.util.Locale;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Times the CUDA convolution on device-resident tensors, one line per dtype, layout and layer, in the format
 * scripts/gpu_bench_torch.py prints for cuDNN. Layers are NAME:C:H:K:R:STRIDE:PAD (square images and filters);
 * FP16 and BF16 write their own dtype, as torch's conv2d does.
 *
 * <p>Usage: {@code CudaConvTiming fp32,fp16 nhwc,nchw conv1:3:224:64:7:2:3,... BATCH [REPS]}.
 */
public final class CudaConvTiming {
    private CudaConvTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            throw new IllegalArgumentException("args: DTYPES LAYOUTS LAYERS BATCH [REPS]");
        }
        int batch = Integer.parseInt(args[3]);
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        try (CudaBackend cuda = DeviceTiming.openCuda()) {
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
                        try (CudaTensor x = DeviceTiming.random(cuda, input, spec.xShape());
                             CudaTensor w = DeviceTiming.random(cuda, input, spec.wShape());
                             CudaTensor y = cuda.allocate(output, spec.yShape())) {
                            DeviceTiming.timeAndPrint(cuda, "conv " + dtypeName + " " + layoutName + " " + f[0], spec.flops(), reps,
                                    () -> cuda.conv2d(spec, x, w, null, y));
                        }
                    }
                }
            }
        }
    }
}
