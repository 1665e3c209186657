package org.kernels4j.gpu.opencl;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Conv2dConformanceTest;

/** The shared convolution conformance matrix on the preferred OpenCL device (PoCL on the CPU in CI). */
class OpenClConv2dConformanceTest extends Conv2dConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new OpenClBackendProvider().create(new BackendContext(threads));
    }

    @Override
    protected String component() {
        return OpenClBackendProvider.NAME;
    }
}
