package org.kernels4j.reference;

import org.kernels4j.spi.Backend;
import org.kernels4j.testing.Conv2dConformanceTest;

/** The shared convolution matrix on the reference itself: every case is valid, and the checker accepts the oracle. */
class ReferenceConv2dConformanceTest extends Conv2dConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        return new ReferenceBackend();
    }

    @Override
    protected String component() {
        return ReferenceBackend.NAME;
    }
}
