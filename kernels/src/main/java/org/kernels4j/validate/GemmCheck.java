package org.kernels4j.validate;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceGemm;
import org.kernels4j.spi.Backend;

/**
 * The differential checker used by the tests and by {@code k4j validate}: runs a backend on a
 * {@link GemmCase} and holds every output element to the {@link ErrorBound} around the double-precision
 * reference computed from the same rounded inputs. With {@link Fill#SMALL_INTEGERS} and integer alpha and
 * beta the result must be exact (the reference rounded once to the output dtype). It also checks, as xblat3 does, that A and B
 * are unchanged and that C's padding is untouched.
 */
public final class GemmCheck {
    private GemmCheck() {
    }

    /** Checks {@code backend} against the reference on {@code testCase}. */
    public static CheckResult<GemmCase> check(Backend backend, GemmCase testCase) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(testCase, "testCase");
        Run run = Run.of(backend, testCase);
        DType out = testCase.spec().outputType();
        boolean exact = isExact(testCase);
        double[] expected = run.reference.values();
        double[] target = exact ? java.util.Arrays.stream(expected).map(out::round).toArray() : expected;
        return compare(backend.name(), testCase, run.output, target, run.reference, exact ? 0 : 1,
                run.inputsUnchanged, run.paddingUntouched);
    }

    /**
     * Checks two backends against each other on the same inputs: every element of {@code second}'s
     * output must lie within twice the bound of {@code first}'s (each may be a bound away from the
     * reference, on opposite sides); exact cases must agree exactly.
     */
    public static CheckResult<GemmCase> crossCheck(Backend first, Backend second, GemmCase testCase) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(testCase, "testCase");
        Run one = Run.of(first, testCase);
        Run two = Run.of(second, testCase);
        return compare(first.name() + " vs " + second.name(), testCase, two.output, one.output, one.reference,
                isExact(testCase) ? 0 : 2, one.inputsUnchanged && two.inputsUnchanged,
                one.paddingUntouched && two.paddingUntouched);
    }

    /**
     * Compares {@code output} with {@code target} element by element, allowing {@code boundScale} times the
     * error bound evaluated at the reference.
     */
    private static CheckResult<GemmCase> compare(String backend, GemmCase testCase, double[] output, double[] target,
                                                 ReferenceGemm.Result ref, double boundScale, boolean inputsUnchanged,
                                                 boolean paddingUntouched) {
        GemmSpec spec = testCase.spec();
        int n = Math.toIntExact(spec.n());
        return ElementComparison.of(output, target, ref.values(), ref.magnitudes(), ref.productSums(), ErrorBound.forGemm(spec),
                        boundScale, spec.inputType().isFloatingPoint(), e -> "C[" + e / n + "," + e % n + "]")
                .toResult(backend, testCase, inputsUnchanged, paddingUntouched);
    }

    /** Small-integer data with integer alpha and beta: every FP32 step is exact, so only the final rounding remains. */
    private static boolean isExact(GemmCase testCase) {
        GemmSpec spec = testCase.spec();
        return testCase.fill() == Fill.SMALL_INTEGERS
                && spec.alpha() == Math.rint(spec.alpha()) && spec.beta() == Math.rint(spec.beta());
    }

    private static byte[] bytes(Tensor t) {
        return t.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** One backend run on fresh operands: the reference for them, C as read back, and the xblat3-style checks. */
    private record Run(ReferenceGemm.Result reference, double[] output, boolean inputsUnchanged, boolean paddingUntouched) {
        static Run of(Backend backend, GemmCase testCase) {
            GemmSpec spec = testCase.spec();
            try (Operands ops = Operands.create(testCase)) {
                ReferenceGemm.Result reference = ReferenceGemm.compute(spec, ops.a, ops.b, ops.c);
                byte[] aBefore = bytes(ops.a);
                byte[] bBefore = bytes(ops.b);
                backend.gemm(spec, ops.a, ops.b, ops.c);
                boolean inputsUnchanged = java.util.Arrays.equals(aBefore, bytes(ops.a))
                        && java.util.Arrays.equals(bBefore, bytes(ops.b));
                return new Run(reference, readC(spec, ops.c), inputsUnchanged, Fill.paddingIntact(ops.c));
            }
        }

        private static double[] readC(GemmSpec spec, Tensor c) {
            int n = Math.toIntExact(spec.n());
            double[] values = new double[Math.multiplyExact(Math.toIntExact(spec.m()), n)];
            for (int e = 0; e < values.length; e++) {
                values[e] = spec.outputType().read(c.segment(), (e / n) * spec.ldc() + e % n);
            }
            return values;
        }
    }

    /** A, B and C for a case: filled, with rogue padding; closed together. */
    private record Operands(Tensor a, Tensor b, Tensor c) implements AutoCloseable {
        static Operands create(GemmCase testCase) {
            GemmSpec spec = testCase.spec();
            Tensor a = Tensor.allocateMatrix(spec.inputType(), spec.aRows(), spec.aCols(), spec.lda());
            Tensor b = Tensor.allocateMatrix(spec.inputType(), spec.bRows(), spec.bCols(), spec.ldb());
            Tensor c = Tensor.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc());
            // Reductions run along the rows of op(A) and down the columns of op(B).
            testCase.fill().fill(a, testCase.seed(), spec.transA());
            testCase.fill().fill(b, testCase.seed() + 1, !spec.transB());
            fillC(c, testCase, testCase.seed() + 2);
            Fill.poisonPadding(a);
            Fill.poisonPadding(b);
            Fill.poisonPadding(c);
            return new Operands(a, b, c);
        }

        private static void fillC(Tensor c, GemmCase testCase, long seed) {
            GemmSpec spec = testCase.spec();
            if (spec.beta() == 0f && spec.outputType().isFloatingPoint()) {
                MemorySegment s = c.segment();
                for (long i = 0; i < spec.m(); i++) {
                    for (long j = 0; j < spec.n(); j++) {
                        spec.outputType().write(s, i * spec.ldc() + j, Double.NaN);
                    }
                }
            } else {
                (testCase.fill() == Fill.SMALL_INTEGERS ? Fill.SMALL_INTEGERS : Fill.RANDOM).fill(c, seed);
            }
        }

        @Override
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }
}
