package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.ReducerConformanceTest;
import org.kernels4j.testing.Requirements;

/** The OpenCL backend's reduction step against the scalar one, bit for bit, on the preferred device (PoCL in CI). */
class OpenClReducerTest extends ReducerConformanceTest {
    private static Backend backend;

    @BeforeAll
    static void openBackend() {
        backend = new OpenClBackendProvider().create(BackendContext.defaults());
        Requirements.assumeAvailable(OpenClBackendProvider.NAME, backend.availability());
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    protected Reducer reducer() {
        return backend.reducer().orElseThrow();
    }

    @Test
    void failsOnceItsBackendIsClosed() {
        try (Backend closing = new OpenClBackendProvider().create(BackendContext.defaults()); Arena arena = Arena.ofConfined()) {
            Reducer reducer = closing.reducer().orElseThrow();
            MemorySegment segment = arena.allocate(16);
            reducer.reduce(DType.FP32, ReduceOp.SUM, segment, 0, segment, 8, 2);
            closing.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> reducer.reduce(DType.FP32, ReduceOp.SUM, segment, 0, segment, 8, 2));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }
}
