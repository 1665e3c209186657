package org.kernels4j.validate;

import java.util.function.IntFunction;
import org.kernels4j.DType;

/**
 * Holds every output element to the {@link ErrorBound} around its double-precision reference, for any op: the
 * shared core of {@link GemmCheck} and {@link Conv2dCheck}.
 *
 * @param elements     elements compared
 * @param failures     elements outside the bound
 * @param worstRatio   max |y − target| / allowed
 * @param firstFailure the first failing element, described, or ""
 */
record ElementComparison(long elements, long failures, double worstRatio, String firstFailure) {
    /**
     * Compares {@code output} with {@code target} element by element, allowing {@code boundScale} times the bound
     * evaluated at the reference (0: exact).
     *
     * @param reference    the unrounded reference values
     * @param magnitudes   what the bound scales with, per element
     * @param productSums  Σ|products| per element: an FP32 accumulator whose terms reach FLT_MAX may overflow to ±Inf
     *                     (and then give NaN) where the double reference stays finite, which is accepted
     * @param elementName  names element e in a failure ("C[0,1]", "y[0,3,2,2]")
     */
    static ElementComparison of(double[] output, double[] target, double[] reference, double[] magnitudes,
                                double[] productSums, ErrorBound bound, double boundScale, boolean floatingInput,
                                IntFunction<String> elementName) {
        DType out = bound.output();
        long failures = 0;
        double worst = 0;
        String first = "";
        for (int e = 0; e < output.length; e++) {
            double allowed = boundScale == 0 ? 0 : boundScale * bound.allowed(reference[e], magnitudes[e]);
            boolean mayOverflow = floatingInput && productSums[e] >= Float.MAX_VALUE;
            double ratio = mayOverflow && !Double.isFinite(output[e]) ? 0 : ratio(output[e], target[e], allowed, out);
            if (ratio > 1) {
                if (failures == 0) {
                    first = elementName.apply(e) + " = " + output[e] + ", expected " + target[e] + ", allowed ±" + allowed;
                }
                failures++;
            }
            worst = Math.max(worst, ratio);
        }
        return new ElementComparison(output.length, failures, worst, first);
    }

    /** |y − ref| / allowed, with NaN/Inf rules: NaN must match NaN, Inf must match Inf or an overflow. */
    static double ratio(double y, double ref, double allowed, DType out) {
        if (Double.isNaN(ref) || Double.isNaN(y)) {
            return Double.isNaN(ref) && Double.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(ref)) {
            return y == ref ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(y)) {
            boolean overflows = Math.signum(y) == Math.signum(ref) && Math.abs(ref) + allowed >= out.maxValue();
            return overflows ? 0 : Double.POSITIVE_INFINITY;
        }
        double error = Math.abs(y - ref);
        if (error == 0) {
            return 0;
        }
        return allowed == 0 ? Double.POSITIVE_INFINITY : error / allowed;
    }

    <C> CheckResult<C> toResult(String backend, C testCase, boolean inputsUnchanged, boolean paddingUntouched) {
        return new CheckResult<>(backend, testCase, elements, failures, worstRatio, firstFailure, inputsUnchanged, paddingUntouched);
    }
}
