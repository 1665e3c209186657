package org.kernels4j.gpu.cuda;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Conv2dConformanceTest;

/** The whole conv2d differential matrix on the first CUDA device; skipped with the reason where there is none. */
class CudaConv2dConformanceTest extends Conv2dConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new CudaBackendProvider().create(new BackendContext(threads));
    }

    @Override
    protected String component() {
        return CudaBackendProvider.NAME;
    }
}
