package org.kernels4j.bench.jmh;

import java.lang.foreign.ValueLayout;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.bench.GemmOperands;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Square GEMM C = A·B (n×n×n, FP32 output, INT32 for INT8) per dtype × size × thread count ×
 * implementation:
 * <ul>
 *   <li>{@code vector-cpu}: our Vector API backend with {@code threads} threads;</li>
 *   <li>{@code opencl}: our OpenCL backend on its preferred device, whose parallelism is the device's own
 *       whatever {@code threads} says (PoCL uses every core), operands copied to and from the device in every call;</li>
 *   <li>{@code openblas}: {@code cblas_sgemm} (FP32) or {@code cblas_sbgemm} (BF16, when exported) with
 *       OpenBLAS set to {@code threads} threads — the peer;</li>
 *   <li>{@code naive}: the textbook triple loop on Java arrays ({@link NaiveGemm}), one thread.</li>
 * </ul>
 * Combinations an implementation cannot run (OpenBLAS has no FP16 or INT8 GEMM; naive is
 * single-threaded; a backend that is unavailable here) fail in setup with the reason, and JMH goes on
 * with the others; choose combinations with {@code -p}, e.g.
 * {@code ./k4j bench --jmh -p implementation=vector-cpu,openblas -p dtype=fp32}.
 *
 * <p>The primary score is calls per second; the secondary score {@code gemm:gigaOps} is GFLOP/s for the
 * floating dtypes and GOP/s for INT8 (2·n³ operations per call).
 */
public class GemmBenchmark extends ThroughputBenchmark {
    @Param({"fp32", "fp16", "bf16", "int8"})
    public String dtype;

    @Param({"512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    @Param({"vector-cpu", "opencl", "openblas", "naive"})
    public String implementation;

    private Kernels kernels;
    private GemmOperands operands;
    private Runnable call;

    @Setup(Level.Trial)
    public void setUp() {
        DType input = DType.fromCliName(dtype);
        GemmSpec spec = GemmSpec.builder().m(size).n(size).k(size).inputType(input).build();
        operands = GemmOperands.create(spec, 42);
        call = switch (implementation) {
            case "vector-cpu", "opencl" -> backendCall(openKernels().backend(implementation), spec);
            case "openblas" -> backendCall(OpenBlasPeer.open(threads), spec);
            case "naive" -> naiveCall(spec);
            default -> throw new IllegalArgumentException("implementation: unknown '" + implementation
                    + "' (vector-cpu, opencl, openblas or naive)");
        };
    }

    private Kernels openKernels() {
        kernels = Kernels.open(threads);
        return kernels;
    }

    private Runnable backendCall(Backend backend, GemmSpec spec) {
        requireSupported(backend.name(), dtype, backend.supports(spec));
        return () -> backend.gemm(spec, operands.a(), operands.b(), operands.c());
    }

    private Runnable naiveCall(GemmSpec spec) {
        if (threads != 1) {
            throw new IllegalStateException("naive is single-threaded: run it with -p threads=1");
        }
        if (spec.inputType() == DType.INT8) {
            byte[] a = bytes(operands.a());
            byte[] b = bytes(operands.b());
            int[] c = new int[size * size];
            return () -> NaiveGemm.gemm(a, b, c, size, size, size);
        }
        float[] a = operands.a().toFloatArray();
        float[] b = operands.b().toFloatArray();
        float[] c = new float[size * size];
        return () -> NaiveGemm.gemm(a, b, c, size, size, size);
    }

    private static byte[] bytes(Tensor int8) {
        return int8.segment().asSlice(0, int8.elementCount()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Benchmark
    public void gemm(Work work) {
        call.run();
        work.gigaOps += 2e-9 * size * size * size;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        operands.close();
        if (kernels != null) {
            kernels.close();
        }
    }
}
