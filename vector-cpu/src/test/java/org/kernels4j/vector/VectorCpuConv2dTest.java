package org.kernels4j.vector;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Conv2dConformanceTest;

/** The shared convolution conformance matrix, run on the backend as the provider creates it. */
class VectorCpuConv2dTest extends Conv2dConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new VectorCpuBackendProvider().create(new BackendContext(threads));
    }

    @Override
    protected String component() {
        return VectorCpuBackendProvider.NAME;
    }
}
