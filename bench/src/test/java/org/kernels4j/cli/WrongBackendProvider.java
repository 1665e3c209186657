package org.kernels4j.cli;

import org.kernels4j.Availability;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;

/**
 * A backend for tests only, so that they can see validate fail and an unavailable backend refused: its
 * GEMM and conv2d are the reference's with the first output element made wrong (doubled, 1 instead of 0, 0 instead
 * of Inf or NaN). It is available only while the system property
 * {@value #ENABLE} is "true" (otherwise it is listed as unavailable with that reason), and it ranks below
 * the reference, so automatic dispatch never picks it.
 */
public final class WrongBackendProvider implements BackendProvider {
    static final String NAME = "wrong-for-tests";
    static final String ENABLE = "k4j.test.wrongBackend";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Backend create(BackendContext context) {
        return new ReferenceStandIn(NAME, "the reference, made wrong", ENABLE) {
            @Override
            public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                reference.gemm(spec, a, b, c);
                if (spec.m() > 0 && spec.n() > 0) {
                    spoilFirstElement(c);
                }
            }

            @Override
            public Availability supports(Conv2dSpec spec) {
                return availability();
            }

            @Override
            public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
                reference.conv2d(spec, x, w, bias, y);
                spoilFirstElement(y);
            }
        };
    }

    private static void spoilFirstElement(Tensor t) {
        double right = t.dtype().read(t.segment(), 0);
        double wrong = !Double.isFinite(right) ? 0 : right == 0 ? 1 : 2 * right;
        t.dtype().write(t.segment(), 0, wrong);
    }
}
