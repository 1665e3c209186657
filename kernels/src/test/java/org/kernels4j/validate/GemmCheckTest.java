package org.kernels4j.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;

/** The checker must catch each kind of wrong backend, or the conformance suite could not fail. */
class GemmCheckTest {
    private static final GemmSpec SPEC = GemmSpec.builder().m(9).n(7).k(13).lda(15).ldb(8).ldc(10).alpha(0.7f).beta(1.3f).build();

    @Test
    void referenceAgreesWithItself() {
        for (Fill fill : Fill.values()) {
            assertTrue(GemmCheck.check(new ReferenceBackend(), new GemmCase(SPEC, fill, 5)).passed(), fill.name());
        }
    }

    @Test
    void catchesAnErrorJustAboveTheBound() {
        CheckResult<GemmCase> r = GemmCheck.check(faulty(t -> { }, t -> perturb(t, 1e-4)), new GemmCase(SPEC, Fill.RANDOM, 5));
        assertFalse(r.passed());
        assertTrue(r.summary().startsWith("1 of 63 elements outside the bound, first C[0,0]"), r.summary());
    }

    @Test
    void crossCheckComparesTwoBackendsOnTheSameInputs() {
        GemmCase testCase = new GemmCase(SPEC, Fill.RANDOM, 5);
        assertTrue(GemmCheck.crossCheck(new ReferenceBackend(), new ReferenceBackend(), testCase).passed());
        CheckResult<GemmCase> r = GemmCheck.crossCheck(new ReferenceBackend(), faulty(t -> { }, t -> perturb(t, 1e-4)), testCase);
        assertFalse(r.passed());
        assertTrue(r.backend().equals("reference vs faulty"), r.backend());
    }

    @Test
    void smallIntegerFillsDemandExactResults() {
        GemmSpec exactSpec = SPEC.toBuilder().alpha(2f).beta(-1f).build();
        assertFalse(GemmCheck.check(faulty(t -> { }, t -> perturb(t, 1e-6)), new GemmCase(exactSpec, Fill.SMALL_INTEGERS, 5)).passed());
    }

    @Test
    void catchesReadingCWhenBetaIsZero() {
        GemmSpec betaZero = SPEC.beta(0f);
        double[] before = new double[1];
        // Computes alpha·A·B + 0·C: the NaN that GemmCheck puts into C must then leak through.
        Backend readsC = faulty(t -> before[0] = t.get(3, 3), t -> t.set(t.get(3, 3) + 0 * before[0], 3, 3));
        assertFalse(GemmCheck.check(readsC, new GemmCase(betaZero, Fill.RANDOM, 5)).passed());
    }

    @Test
    void catchesWritesIntoPaddingAndInputs() {
        CheckResult<GemmCase> padding = GemmCheck.check(faulty(t -> { }, t -> DType.FP32.write(t.segment(), 8, 0)), new GemmCase(SPEC, Fill.RANDOM, 5));
        assertFalse(padding.paddingUntouched());
        assertFalse(padding.passed());
    }

    private static void perturb(Tensor c, double relative) {
        c.set(c.get(0, 0) * (1 + relative) + relative, 0, 0);
    }

    /** The reference with a look at C before it and a corruption of C after it. */
    private static Backend faulty(Consumer<Tensor> inspectC, Consumer<Tensor> corruptC) {
        ReferenceBackend reference = new ReferenceBackend();
        return new Backend() {
            @Override
            public String name() {
                return "faulty";
            }

            @Override
            public Device device() {
                return reference.device();
            }

            @Override
            public Availability supports(GemmSpec spec) {
                return Availability.yes();
            }

            @Override
            public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                inspectC.accept(c);
                reference.gemm(spec, a, b, c);
                corruptC.accept(c);
            }

            @Override
            public void close() {
            }
        };
    }
}
