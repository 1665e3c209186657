package org.kernels4j.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;

/** The convolution checker must catch each kind of wrong backend, or the conformance suite could not fail. */
class Conv2dCheckTest {
    private static final Conv2dSpec SPEC = Conv2dSpec.builder().n(2).c(4).k(6).groups(2).inputSize(6, 5).filterSize(3, 2)
            .stride(1, 2).padding(1, 0, 1, 1).bias(true).layout(Layout.NHWC).build();

    @Test
    void referenceAgreesWithItselfOnEveryFillAndDtypePair() {
        DType[][] pairs = {{DType.FP32, DType.FP32}, {DType.FP16, DType.FP16}, {DType.BF16, DType.FP32}, {DType.INT8, DType.INT32},
            {DType.INT8, DType.FP32}};
        for (Fill fill : Fill.values()) {
            for (DType[] pair : pairs) {
                Conv2dCase testCase = new Conv2dCase(SPEC.toBuilder().inputType(pair[0]).outputType(pair[1]).build(), fill, 5);
                CheckResult<Conv2dCase> result = Conv2dCheck.check(new ReferenceBackend(), testCase);
                assertTrue(result.passed(), testCase + ": " + result.summary());
            }
        }
    }

    @Test
    void catchesAnErrorJustAboveTheBound() {
        CheckResult<Conv2dCase> r = Conv2dCheck.check(faulty((x, w, y) -> perturb(y, 1e-4)), new Conv2dCase(SPEC, Fill.RANDOM, 5));
        assertFalse(r.passed());
        assertTrue(r.summary().startsWith("1 of 180 elements outside the bound, first y[n=0,k=0,p=0,q=0]"), r.summary());
    }

    @Test
    void smallIntegerFillsDemandExactResults() {
        assertFalse(Conv2dCheck.check(faulty((x, w, y) -> perturb(y, 1e-6)), new Conv2dCase(SPEC, Fill.SMALL_INTEGERS, 5)).passed());
        assertTrue(Conv2dCheck.check(faulty((x, w, y) -> perturb(y, 1e-6)), new Conv2dCase(SPEC, Fill.RANDOM, 5)).passed(),
                "a relative error of 1e-6 is within the bound on random data");
    }

    @Test
    void catchesAnElementLeftUnwritten() {
        Backend skipsOne = faulty((x, w, y) -> DType.FP32.write(y.segment(), 7, Double.NaN));
        CheckResult<Conv2dCase> r = Conv2dCheck.check(skipsOne, new Conv2dCase(SPEC, Fill.RANDOM, 5));
        assertEquals(1, r.failures());
        Conv2dSpec int32 = SPEC.toBuilder().inputType(DType.INT8).outputType(DType.INT32).build();
        Backend skipsInt = faulty((x, w, y) -> DType.INT32.write(y.segment(), 7, 0x7eadbeef));
        assertFalse(Conv2dCheck.check(skipsInt, new Conv2dCase(int32, Fill.RANDOM, 5)).passed());
    }

    @Test
    void catchesWritesBeyondYAndIntoInputs() {
        long count = 2 * 6 * 5 * 3;
        CheckResult<Conv2dCase> overrun = Conv2dCheck.check(faulty((x, w, y) -> DType.FP32.write(y.segment(), count, 0)),
                new Conv2dCase(SPEC, Fill.RANDOM, 5));
        assertFalse(overrun.paddingUntouched());
        assertTrue(overrun.summary().contains("memory beside the output (padding or guard) was overwritten"), overrun.summary());
        CheckResult<Conv2dCase> scribbled = Conv2dCheck.check(faulty((x, w, y) -> w.set(0.25, 1, 1, 0, 1)),
                new Conv2dCase(SPEC, Fill.RANDOM, 5));
        assertFalse(scribbled.inputsUnchanged());
        assertEquals("inputs were modified", scribbled.summary());
    }

    @Test
    void crossCheckComparesTwoBackendsOnTheSameInputs() {
        Conv2dCase testCase = new Conv2dCase(SPEC, Fill.EDGES, 9);
        assertTrue(Conv2dCheck.crossCheck(new ReferenceBackend(), new ReferenceBackend(), testCase).passed());
        CheckResult<Conv2dCase> r = Conv2dCheck.crossCheck(new ReferenceBackend(), faulty((x, w, y) -> perturb(y, 1e-3)),
                new Conv2dCase(SPEC, Fill.RANDOM, 9));
        assertFalse(r.passed());
        assertEquals("reference vs faulty", r.backend());
    }

    @Test
    void theBoundCountsEveryTermOfTheSumAndOneRoundingAfterIt() {
        ErrorBound bound = ErrorBound.forConv2d(SPEC);
        assertEquals(2 * 3 * 2, bound.k());
        assertEquals(DType.FP32.unitRoundoff(), bound.uAcc());
        assertEquals(1, bound.epilogue());
        ErrorBound exact = ErrorBound.forConv2d(SPEC.toBuilder().inputType(DType.INT8).outputType(DType.INT32).build());
        assertEquals(0, exact.allowed(1e6, 1e6));
        assertEquals(0, exact.uAcc());
    }

    private static void perturb(Tensor y, double relative) {
        double value = y.toDoubleArray()[0];
        y.dtype().write(y.segment(), 0, value * (1 + relative) + relative);
    }

    @FunctionalInterface
    private interface Corruption {
        void apply(Tensor x, Tensor w, Tensor y);
    }

    /** The reference followed by a corruption of the operands. */
    private static Backend faulty(Corruption corruption) {
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
                return Availability.no("conv2d only");
            }

            @Override
            public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                throw new UnsupportedOperationException("conv2d only");
            }

            @Override
            public Availability supports(Conv2dSpec spec) {
                return Availability.yes();
            }

            @Override
            public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
                reference.conv2d(spec, x, w, bias, y);
                corruption.apply(x, w, y);
            }

            @Override
            public void close() {
            }
        };
    }
}
