package org.kernels4j.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Results to test with: a small two-core machine built here, and a 56-core Xeon read from the test resources. */
public final class ResultsFixtures {
    /** A results file from "another machine": an Intel Xeon with AVX-512 and AMX (results-xeon.json). */
    public static final String XEON = "results-xeon.json";

    private ResultsFixtures() {
    }

    public static String xeonJson() {
        try (InputStream in = ResultsFixtures.class.getResourceAsStream(XEON)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Cpu laptopCpu() {
        return new Cpu("Test CPU 2000", "AuthenticAMD", 25, "amd64", 2, 2, 3.0, "a test", 256,
                List.of("AVX", "AVX2", "FMA", "F16C"), List.of(new Cpu.Cache(1, "Data", 32 * 1024, 1), new Cpu.Cache(3, "Unified", 16L << 20, 2)));
    }

    public static Machine laptop() {
        return new Machine(laptopCpu(), 16L << 30, "Linux test amd64", "25 (test)", List.of());
    }

    /** A successful square GEMM point; the peer is OpenBLAS at {@code peerRate} when that is positive. */
    public static Measurement gemm(String backend, String dtype, int n, int threads, double rate, double peerRate) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("m", n);
        parameters.put("n", n);
        parameters.put("k", n);
        parameters.put("transA", false);
        parameters.put("transB", false);
        double work = 2e-9 * n * n * n;
        Measurement.PeerResult peer = peerRate > 0 ? new Measurement.PeerResult("openblas cblas_sgemm", peerRate, peerRate * 0.9, peerRate * 1.1) : null;
        return new Measurement("gemm", backend, "test device", "CPU", Measurement.SOURCE_K4J, dtype, dtype.equals("int8") ? "int32" : "fp32",
                new Shape("square_" + n, n + "×" + n + "×" + n, parameters), threads, dtype.equals("int8") ? "GOP/s" : "GFLOP/s", work,
                3.0 * n * n * 4, Measurement.OK, "", 5, work / rate, rate, rate * 0.9, rate * 1.05, peer, peer == null ? null : rate / peerRate,
                null);
    }

    /**
     * A successful all-reduce point over {@code transport} at {@code bytes} per rank, 2 ranks; the peer is MPI_Allreduce at
     * {@code peerRate} GB/s when that is positive.
     */
    public static Measurement allReduce(String transport, String dtype, long bytes, double rate, double peerRate) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("bytes", bytes);
        parameters.put("count", bytes / (dtype.equals("fp32") || dtype.equals("int32") ? 4 : 2));
        parameters.put("ranks", 2);
        parameters.put("redop", "sum");
        parameters.put("transport", transport);
        double work = bytes * 1e-9;
        Measurement.PeerResult peer = peerRate > 0 ? new Measurement.PeerResult("MPI_Allreduce", peerRate, peerRate * 0.8, peerRate * 1.2) : null;
        return new Measurement("allreduce", transport + " transport", "2 ranks", "CPU", Measurement.SOURCE_K4J, dtype, dtype,
                new Shape("sweep", Units.bytes(bytes), parameters), 2, "GB/s", work, null, Measurement.OK, "", 10, work / rate, rate,
                rate * 0.7, rate * 1.3, peer, peer == null ? null : rate / peerRate, null);
    }

    /** The laptop with a PoCL OpenCL device (described) and CUDA unavailable. */
    public static Machine laptopWithAccelerators() {
        Map<String, String> pocl = new LinkedHashMap<>();
        pocl.put("driver", "3.1+debian");
        pocl.put("compute units", "2");
        pocl.put("memory", "21.5 GiB");
        pocl.put("fp16", "no");
        return new Machine(laptopCpu(), 16L << 30, "Linux test amd64", "25 (test)", List.of(
                new Machine.Gpu("cuda", "(no device)", false, "no libcuda.so.1 found", "GPU", Map.of()),
                new Machine.Gpu("opencl", "pthread-haswell", true, "", "CPU", pocl)));
    }

    public static Results laptopResults(List<Measurement> measurements) {
        List<Peak> peaks = PeakEstimator.cpuPeaks(laptopCpu());
        return Results.of("k4j report (test)", "2026-11-25T10:00:00Z", "quick", laptop(),
                List.of(new DeviceStatus("vector-cpu", DeviceStatus.BACKEND, "test device", "CPU", List.of("fp32", "int8"), true, ""),
                        new DeviceStatus("cuda", DeviceStatus.BACKEND, "(no device)", "GPU", List.of(), false, "no libcuda.so.1 found")),
                peaks, new MemoryBandwidth(20, 18, 64L << 20, 2, 5),
                List.of(new ValidationCheck("gemm", "vector-cpu", "fp32", "fp32", "FP32→FP32 1×7×33 NN", "RANDOM", ValidationCheck.PASS, 0.1, ""),
                        new ValidationCheck("gemm", "vector-cpu", "int8", "int32", "INT8→INT32 1×7×33 NN", "EDGE", ValidationCheck.NOT_RUN, null, "unsupported")),
                PeakShares.apply(measurements, peaks), List.of("made by a test"));
    }
}
