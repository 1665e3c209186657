package org.kernels4j.validate;

import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.reference.ReferenceConv2d;
import org.kernels4j.spi.Backend;

/**
 * The differential checker of convolutions, for the tests and {@code k4j validate}: runs a backend on a
 * {@link Conv2dCase} and holds every output element to {@link ErrorBound#forConv2d} around the double-precision
 * reference computed from the same rounded inputs; with {@link Fill#SMALL_INTEGERS} the result must be exact (the
 * reference rounded once). It also checks that x, w and the bias are unchanged, that y is written everywhere without
 * being read (it starts as NaN, or a rogue integer), and that a guard of rogue values after y stays untouched.
 */
public final class Conv2dCheck {
    /** Elements of rogue values after y: a kernel that writes past y's end lands in them. */
    private static final int GUARD = 67;
    private static final int ROGUE_INT32 = 0x7eadbeef;

    private Conv2dCheck() {
    }

    /** Checks {@code backend} against the reference on {@code testCase}. */
    public static CheckResult<Conv2dCase> check(Backend backend, Conv2dCase testCase) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(testCase, "testCase");
        Run run = Run.of(backend, testCase);
        DType out = testCase.spec().outputType();
        boolean exact = isExact(testCase);
        double[] expected = run.reference.values();
        double[] target = exact ? Arrays.stream(expected).map(out::round).toArray() : expected;
        return compare(backend.name(), testCase, run.output, target, run.reference, exact ? 0 : 1, run.inputsUnchanged,
                run.guardUntouched);
    }

    /**
     * Checks two backends against each other on the same inputs: every element of {@code second}'s output must lie
     * within twice the bound of {@code first}'s; exact cases must agree exactly.
     */
    public static CheckResult<Conv2dCase> crossCheck(Backend first, Backend second, Conv2dCase testCase) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(testCase, "testCase");
        Run one = Run.of(first, testCase);
        Run two = Run.of(second, testCase);
        return compare(first.name() + " vs " + second.name(), testCase, two.output, one.output, one.reference,
                isExact(testCase) ? 0 : 2, one.inputsUnchanged && two.inputsUnchanged, one.guardUntouched && two.guardUntouched);
    }

    private static CheckResult<Conv2dCase> compare(String backend, Conv2dCase testCase, double[] output, double[] target,
                                                   ReferenceConv2d.Result ref, double boundScale, boolean inputsUnchanged,
                                                   boolean guardUntouched) {
        Conv2dSpec spec = testCase.spec();
        return ElementComparison.of(output, target, ref.values(), ref.magnitudes(), ref.productSums(), ErrorBound.forConv2d(spec),
                        boundScale, spec.inputType().isFloatingPoint(), e -> elementName(spec, e))
                .toResult(backend, testCase, inputsUnchanged, guardUntouched);
    }

    /** Small integers: every FP32 sum is exact, so only the final rounding to the output remains. */
    private static boolean isExact(Conv2dCase testCase) {
        return testCase.fill() == Fill.SMALL_INTEGERS;
    }

    /** "y[n,k,p,q]" for element {@code e} of y in its layout's order. */
    private static String elementName(Conv2dSpec spec, int e) {
        long[] shape = spec.yShape();
        long[] index = new long[4];
        long rest = e;
        for (int axis = 3; axis >= 0; axis--) {
            index[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        long[] nkpq = spec.layout() == Layout.NCHW ? index : new long[] {index[0], index[3], index[1], index[2]};
        return "y[n=" + nkpq[0] + ",k=" + nkpq[1] + ",p=" + nkpq[2] + ",q=" + nkpq[3] + "]";
    }

    private static byte[] bytes(Tensor t) {
        return t == null ? new byte[0] : t.segment().toArray(ValueLayout.JAVA_BYTE);
    }

    /** One backend run on fresh operands: the reference for them, y as read back, and the memory checks. */
    private record Run(ReferenceConv2d.Result reference, double[] output, boolean inputsUnchanged, boolean guardUntouched) {
        static Run of(Backend backend, Conv2dCase testCase) {
            Conv2dSpec spec = testCase.spec();
            try (Operands ops = Operands.create(testCase)) {
                ReferenceConv2d.Result reference = ReferenceConv2d.compute(spec, ops.x, ops.w, ops.bias);
                byte[] xBefore = bytes(ops.x);
                byte[] wBefore = bytes(ops.w);
                byte[] biasBefore = bytes(ops.bias);
                backend.conv2d(spec, ops.x, ops.w, ops.bias, ops.y);
                boolean inputsUnchanged = Arrays.equals(xBefore, bytes(ops.x)) && Arrays.equals(wBefore, bytes(ops.w))
                        && Arrays.equals(biasBefore, bytes(ops.bias));
                return new Run(reference, ops.y.toDoubleArray(), inputsUnchanged, Fill.paddingIntact(ops.yStorage));
            }
        }
    }

    /**
     * x, w, the bias (or null) and y for a case. y is a view of the first elements of a one-row matrix whose padding is
     * the guard; y itself starts as NaN (floating outputs) or a rogue integer, so that an element the backend does not
     * write, or reads before writing, shows.
     */
    private record Operands(Tensor x, Tensor w, Tensor bias, Tensor yStorage, Tensor y) implements AutoCloseable {
        static Operands create(Conv2dCase testCase) {
            Conv2dSpec spec = testCase.spec();
            Tensor x = Tensor.allocate(spec.inputType(), spec.xShape());
            Tensor w = Tensor.allocate(spec.inputType(), spec.wShape());
            Tensor bias = spec.hasBias() ? Tensor.allocate(spec.biasType(), spec.biasShape()) : null;
            fillByRows(testCase.fill(), x, testCase.seed());
            fillByRows(testCase.fill(), w, testCase.seed() + 1);
            if (bias != null) {
                testCase.fill().fill(bias, testCase.seed() + 2);
            }
            long count = Arrays.stream(spec.yShape()).reduce(1, Math::multiplyExact);
            Tensor yStorage = Tensor.allocateMatrix(spec.outputType(), 1, count, count + GUARD);
            double unwritten = spec.outputType().isFloatingPoint() ? Double.NaN : ROGUE_INT32;
            for (long e = 0; e < count; e++) {
                spec.outputType().write(yStorage.segment(), e, unwritten);
            }
            Fill.poisonPadding(yStorage);
            Tensor y = Tensor.wrap(yStorage.segment(), spec.outputType(), spec.yShape(), contiguousStrides(spec.yShape()));
            return new Operands(x, w, bias, yStorage, y);
        }

        /**
         * Fills a 4-D tensor seen as a matrix of its last dimension's rows, so that {@link Fill#EDGES} puts at most one
         * edge value in each row (an image row, a pixel's channels, a filter row) rather than one in the whole tensor.
         */
        private static void fillByRows(Fill fill, Tensor t, long seed) {
            long columns = t.dim(t.rank() - 1);
            long rows = t.elementCount() / columns;
            fill.fill(Tensor.wrap(t.segment(), t.dtype(), new long[] {rows, columns}, new long[] {columns, 1}), seed);
        }

        private static long[] contiguousStrides(long[] shape) {
            long[] strides = new long[shape.length];
            long stride = 1;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                strides[axis] = stride;
                stride *= shape[axis];
            }
            return strides;
        }

        @Override
        public void close() {
            x.close();
            w.close();
            if (bias != null) {
                bias.close();
            }
            yStorage.close();
        }
    }
}
