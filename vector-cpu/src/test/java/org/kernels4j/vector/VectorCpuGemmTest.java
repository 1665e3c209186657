package org.kernels4j.vector;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.GemmConformanceTest;

/** The shared GEMM conformance matrix, run on the backend as the provider creates it. */
class VectorCpuGemmTest extends GemmConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new VectorCpuBackendProvider().create(new BackendContext(threads));
    }

    @Override
    protected String component() {
        return VectorCpuBackendProvider.NAME;
    }
}
