package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;
import org.kernels4j.vector.reduce.VectorReducer;

class VectorCpuBackendTest {
    @Test
    void describesTheProcessorThreadsAndVectorWidth() {
        try (VectorCpuBackend backend = new VectorCpuBackend(new BackendContext(3))) {
            Device device = backend.device();
            assertEquals(VectorCpuBackendProvider.NAME, device.backend());
            assertEquals(Device.Kind.CPU, device.kind());
            assertEquals(EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8), device.dtypes());
            assertTrue(device.availability().available());
            assertTrue(device.name().startsWith(CpuInfo.detect().modelName() + ", 3 threads, "), device.name());
            assertTrue(device.name().matches(".*, (128|256|512|1024|2048)-bit vectors"), device.name());
        }
    }

    @Test
    void isDiscoveredAndPreferredOverTheReference() {
        try (Kernels kernels = Kernels.open(2)) {
            GemmSpec spec = GemmSpec.builder().m(2).n(2).k(2).build();
            assertEquals(VectorCpuBackendProvider.NAME, kernels.select(spec).name());
        }
    }

    @Test
    void offersTheSimdReducerToCollectives() {
        try (Kernels kernels = Kernels.open(2)) {
            assertEquals(VectorReducer.INSTANCE, kernels.reducer());
        }
    }

    @Test
    void refusesToRunOnceClosed() {
        VectorCpuBackend backend = new VectorCpuBackend(new BackendContext(2));
        backend.close();
        backend.close();
        try (Tensor a = Tensor.allocate(DType.FP32, 2, 2); Tensor b = Tensor.allocate(DType.FP32, 2, 2);
             Tensor c = Tensor.allocate(DType.FP32, 2, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.gemm(GemmSpec.of(a, b), a, b, c));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void concurrentCallsOnOneBackendEachGetTheirOwnBuffers() throws Exception {
        try (VectorCpuBackend backend = new VectorCpuBackend(new BackendContext(2))) {
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                List<Future<CheckResult<GemmCase>>> results = new ArrayList<>();
                DType[][] pairs = {{DType.FP32, DType.FP32}, {DType.BF16, DType.BF16}, {DType.INT8, DType.INT32}, {DType.FP16, DType.FP32}};
                for (int call = 0; call < 12; call++) {
                    DType[] pair = pairs[call % pairs.length];
                    GemmSpec spec = GemmSpec.builder().m(150 + call).n(140 - call).k(160 + 3 * call).transA(call % 3 == 0)
                            .inputType(pair[0]).outputType(pair[1]).beta(1f).build();
                    GemmCase testCase = new GemmCase(spec, Fill.RANDOM, call);
                    results.add(callers.submit(() -> GemmCheck.check(backend, testCase)));
                }
                for (Future<CheckResult<GemmCase>> result : results) {
                    CheckResult<GemmCase> checked = result.get();
                    assertTrue(checked.passed(), () -> checked.testCase().spec() + ": " + checked.summary());
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }
}
