package org.kernels4j.gpu.opencl;

import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.DeviceOnlyBackend;
import org.kernels4j.testing.Conv2dConformanceTest;

/** The shared convolution conformance matrix with every spec on conv2d.cl's IMPLICIT_GEMM kernel, whatever the choice rule says. */
class OpenClImplicitGemmConv2dTest extends Conv2dConformanceTest {
    @Override
    protected Backend createBackend(int threads) {
        OpenClDiscovery.Discovered discovered = OpenClDiscovery.discover();
        return discovered.chosen().<Backend>map(info -> new OpenClBackend(discovered.device(), info, OpenClConv2d.Algorithm.IMPLICIT_GEMM))
                .orElseGet(() -> new DeviceOnlyBackend(discovered.device(), discovered.device().availability().reason()));
    }

    @Override
    protected String component() {
        return OpenClBackendProvider.NAME;
    }
}
