package org.kernels4j.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.validate.Fill;

/**
 * A quick standalone timing of the backend's GEMM (not a test, and no substitute for the JMH suite in bench/):
 * median and best GFLOP/s (GOP/s for INT8) per dtype, size and thread count, and a naive triple loop for scale.
 * Run with
 * {@code java --add-modules jdk.incubator.vector -cp <test classpath> org.kernels4j.vector.GemmTiming [sizes...]}.
 */
public final class GemmTiming {
    private static final DType[][] PAIRS = {
        {DType.FP32, DType.FP32}, {DType.BF16, DType.FP32}, {DType.FP16, DType.FP32}, {DType.INT8, DType.INT32},
        {DType.BF16, DType.BF16}, {DType.INT8, DType.FP32}};

    private GemmTiming() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {512, 1024} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int threads : new int[] {1, 2}) {
            try (VectorCpuBackend backend = new VectorCpuBackend(new BackendContext(threads))) {
                System.out.println(backend.device().name() + ": " + backend.tuning());
                for (int size : sizes) {
                    for (DType[] pair : PAIRS) {
                        double[] gflops = time(backend, size, pair[0], pair[1]);
                        System.out.printf("%-5s → %-5s %5d³ %d thread(s): median %6.1f  best %6.1f GFLOP/s%n",
                                pair[0], pair[1], size, threads, gflops[0], gflops[1]);
                    }
                }
            }
        }
        int naiveSize = sizes[sizes.length - 1];
        System.out.printf("naive triple loop FP32 %d³: %.2f GFLOP/s%n", naiveSize, naive(naiveSize));
    }

    /** {median, best} GFLOP/s. */
    private static double[] time(VectorCpuBackend backend, int size, DType input, DType output) {
        GemmSpec spec = GemmSpec.builder().m(size).n(size).k(size).inputType(input).outputType(output).build();
        try (Tensor a = Tensor.allocate(input, size, size); Tensor b = Tensor.allocate(input, size, size);
             Tensor c = Tensor.allocate(output, size, size)) {
            Fill.RANDOM.fill(a, 1);
            Fill.RANDOM.fill(b, 2);
            double[] seconds = seconds(() -> backend.gemm(spec, a, b, c));
            return new double[] {spec.flops() / seconds[0] / 1e9, spec.flops() / seconds[1] / 1e9};
        }
    }

    /** Median of 3 runs after one warm-up run: the loop is slow enough that the JIT is done after one. */
    private static double naive(int size) {
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        float[] c = new float[size * size];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        Runnable loop = () -> {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    float sum = 0;
                    for (int p = 0; p < size; p++) {
                        sum += a[i * size + p] * b[p * size + j];
                    }
                    c[i * size + j] = sum;
                }
            }
        };
        loop.run();
        double[] seconds = new double[3];
        for (int i = 0; i < seconds.length; i++) {
            long start = System.nanoTime();
            loop.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return 2.0 * size * size * size / seconds[1] / 1e9;
    }

    /** {median, fastest} seconds of at least 5 runs and 2 s, after at least 3 runs and 1 s of warm-up (JIT). */
    private static double[] seconds(Runnable work) {
        long warmUpEnd = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmUpEnd; i++) {
            work.run();
        }
        List<Double> seconds = new ArrayList<>();
        long end = System.nanoTime() + 2_000_000_000L;
        while (seconds.size() < 5 || System.nanoTime() < end) {
            long start = System.nanoTime();
            work.run();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        Collections.sort(seconds);
        return new double[] {seconds.get(seconds.size() / 2), seconds.getFirst()};
    }
}
