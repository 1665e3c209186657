package org.kernels4j.gpu.cuda;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.spi.BackendContext;

/** What CudaGemmTiming and CudaConvTiming share: the backend, random device inputs, and the timed loop. */
final class DeviceTiming {
    private static final int WARMUP = 3;

    private DeviceTiming() {
    }

    /** The CUDA backend, or an exception with the reason it is unavailable. */
    static CudaBackend openCuda() {
        var backend = new CudaBackendProvider().create(BackendContext.defaults());
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalStateException("cuda unavailable: " + backend.availability().reason());
        }
        return cuda;
    }

    /** A contiguous device tensor of uniform values in [-1, 1) (any INT8 value for INT8). */
    static CudaTensor random(CudaBackend cuda, DType dtype, long... shape) {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(shape));
        try (Tensor host = Tensor.allocate(dtype, shape)) {
            for (long i = 0; i < host.elementCount(); i++) {
                dtype.write(host.segment(), i, dtype.isFloatingPoint() ? random.nextDouble(-1, 1) : random.nextInt(-128, 128));
            }
            return cuda.upload(host);
        }
    }

    /**
     * Runs {@code call} a few times untimed, then {@code reps} times timed with CUDA events on the backend's stream
     * (device time, from before the call's first kernel to after its last one has finished), and prints one line:
     * "k4j LABEL median_ms X best_ms Y tflops Z".
     */
    static void timeAndPrint(CudaBackend cuda, String label, double flops, int reps, Runnable call) {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        double[] seconds = new double[reps];
        try (CudaTimer timer = cuda.timer()) {
            for (int i = 0; i < reps; i++) {
                timer.start();
                call.run();
                timer.stop();
                seconds[i] = timer.elapsedMilliseconds() / 1e3;
            }
        }
        Arrays.sort(seconds);
        double median = seconds[seconds.length / 2];
        System.out.printf(Locale.ROOT, "k4j %s median_ms %.3f best_ms %.3f tflops %.1f%n", label, median * 1e3,
                seconds[0] * 1e3, flops / median / 1e12);
    }
}
