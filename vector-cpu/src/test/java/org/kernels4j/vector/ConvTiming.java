package org.kernels4j.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.validate.Fill;
import org.kernels4j.vector.conv.VectorConv2d;

/**
 * A quick standalone timing of the backend's convolution on ResNet-50 layers (not a test, and no substitute for the
 * JMH suite): median and best GFLOP/s (GOP/s for INT8; 2·N·K·C/g·R·S·P·Q operations) per layer, layout, dtype and
 * thread count, next to the backend's GEMM of the same size (m = N·P·Q, n = K, k = C/g·R·S) timed in alternation with
 * it, so that the ratio holds even on a busy machine. Run with {@code java --add-modules jdk.incubator.vector -cp
 * <test classpath> org.kernels4j.vector.ConvTiming resnet50_conv.csv [layer names...]} (all layers without names;
 * {@code -Dbatch=N} for another batch size).
 */
public final class ConvTiming {
    private static final DType[] INPUTS = {DType.FP32, DType.BF16, DType.INT8};
    private static final long ROUND_NANOS = 1_000_000_000L;

    private ConvTiming() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("args: give the layer table (resnet50_conv.csv) and optionally layer names");
        }
        List<String> names = Arrays.asList(args).subList(1, args.length);
        List<String[]> layers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] fields = line.split(",");
            if (!line.startsWith("#") && !line.startsWith("name") && (names.isEmpty() || names.contains(fields[0]))) {
                layers.add(fields);
            }
        }
        int batch = Integer.getInteger("batch", 1);
        for (int threads : new int[] {1, 2}) {
            try (VectorCpuBackend backend = new VectorCpuBackend(new BackendContext(threads))) {
                System.out.println(backend.device().name());
                for (String[] layer : layers) {
                    for (DType input : INPUTS) {
                        for (Layout layout : Layout.values()) {
                            Conv2dSpec spec = spec(layer, batch, layout, input);
                            double[] rates = time(backend, spec);
                            System.out.printf("%-26s %s %-4s %-14s N=%d C=%d %dx%d K=%d %dx%d s%d, %d thread(s): conv median %6.1f best %6.1f,"
                                            + " GEMM median %6.1f best %6.1f G/s, conv/GEMM %.2f%n",
                                    layer[0], layout, input, VectorConv2d.kernelFor(spec), spec.n(), spec.c(), spec.h(), spec.w(),
                                    spec.k(), spec.r(), spec.s(), spec.strideH(), threads, rates[0], rates[1], rates[2], rates[3],
                                    rates[0] / rates[2]);
                        }
                    }
                }
            }
        }
    }

    /** name,C,H,W,K,R,S,stride,pad,dilation,groups,count. */
    private static Conv2dSpec spec(String[] f, int batch, Layout layout, DType input) {
        return Conv2dSpec.builder().n(batch).c(Long.parseLong(f[1])).inputSize(Long.parseLong(f[2]), Long.parseLong(f[3]))
                .k(Long.parseLong(f[4])).filterSize(Long.parseLong(f[5]), Long.parseLong(f[6]))
                .stride(Integer.parseInt(f[7])).padding(Integer.parseInt(f[8])).dilation(Integer.parseInt(f[9]))
                .groups(Long.parseLong(f[10])).layout(layout).inputType(input).build();
    }

    /** Median and best rate of the convolution and of its GEMM, timed in alternation after a warm-up round. */
    private static double[] time(VectorCpuBackend backend, Conv2dSpec spec) {
        GemmSpec gemm = GemmSpec.builder().m(spec.n() * spec.p() * spec.q()).n(spec.k()).k(spec.reductionLength()).transB(true)
                .inputType(spec.inputType()).build();
        try (Tensor x = Tensor.allocate(spec.inputType(), spec.xShape());
             Tensor w = Tensor.allocate(spec.inputType(), spec.wShape());
             Tensor y = Tensor.allocate(spec.outputType(), spec.yShape());
             Tensor a = Tensor.allocate(gemm.inputType(), gemm.m(), gemm.k());
             Tensor b = Tensor.allocate(gemm.inputType(), gemm.n(), gemm.k());
             Tensor c = Tensor.allocate(gemm.outputType(), gemm.m(), gemm.n())) {
            Fill.RANDOM.fill(x, 1);
            Fill.RANDOM.fill(w, 2);
            Fill.RANDOM.fill(a, 3);
            Fill.RANDOM.fill(b, 4);
            List<Long> convTimes = new ArrayList<>();
            List<Long> gemmTimes = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                convTimes.clear();
                gemmTimes.clear();
                long until = System.nanoTime() + ROUND_NANOS;
                while (System.nanoTime() < until || convTimes.size() < 5) {
                    long start = System.nanoTime();
                    backend.conv2d(spec, x, w, null, y);
                    long middle = System.nanoTime();
                    backend.gemm(gemm, a, b, c);
                    long end = System.nanoTime();
                    convTimes.add(middle - start);
                    gemmTimes.add(end - middle);
                }
            }
            convTimes.sort(null);
            gemmTimes.sort(null);
            return new double[] {spec.flops() / convTimes.get(convTimes.size() / 2), spec.flops() / convTimes.get(0),
                gemm.flops() / gemmTimes.get(gemmTimes.size() / 2), gemm.flops() / gemmTimes.get(0)};
        }
    }
}
