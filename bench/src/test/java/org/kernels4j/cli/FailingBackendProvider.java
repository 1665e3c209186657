package org.kernels4j.cli;

import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;

/**
 * A backend for tests only, so that they can see a backend fail in the middle of a report: its GEMM is the
 * reference's for m ≤ {@value #LARGEST_WORKING_M} and throws "{@value #FAILURE}" for larger m, as a device that
 * is lost would. Available only while the system property {@value #ENABLE} is "true"; it ranks below the
 * reference, so automatic dispatch never picks it.
 */
public final class FailingBackendProvider implements BackendProvider {
    static final String NAME = "failing-for-tests";
    static final String ENABLE = "k4j.test.failingBackend";
    static final String FAILURE = "simulated device loss";
    static final int LARGEST_WORKING_M = 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -101;
    }

    @Override
    public Backend create(BackendContext context) {
        return new ReferenceStandIn(NAME, "the reference, failing on larger shapes", ENABLE) {
            @Override
            public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                if (spec.m() > LARGEST_WORKING_M) {
                    throw new IllegalStateException(FAILURE);
                }
                reference.gemm(spec, a, b, c);
            }
        };
    }
}
