package org.kernels4j.gpu.cuda;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.GemmConformanceTest;

/** The whole GEMM differential matrix on the first CUDA device; skipped with the reason where there is none. */
class CudaGemmConformanceTest extends GemmConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new CudaBackendProvider().create(new BackendContext(threads));
    }

    @Override
    protected String component() {
        return CudaBackendProvider.NAME;
    }
}
