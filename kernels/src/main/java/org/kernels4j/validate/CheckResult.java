package org.kernels4j.validate;

/**
 * Outcome of checking one backend (or pair of backends) on one test case.
 *
 * @param <C>              the kind of case ({@link GemmCase}, {@link Conv2dCase})
 * @param backend          backend checked
 * @param testCase         the case
 * @param elements         output elements compared
 * @param failures         elements outside the bound (or whose NaN/Inf pattern differs)
 * @param worstRatio       max over elements of |y − ref| / bound (0 when exact; Inf when the bound is 0 and y differs)
 * @param firstFailure     description of the first failing element, or "" when none
 * @param inputsUnchanged  the inputs (including their padding) are byte-identical after the call
 * @param paddingUntouched the memory next to the output's elements (GEMM: C's padding; conv: a guard after y) still
 *                         holds the rogue value
 */
public record CheckResult<C>(String backend, C testCase, long elements, long failures, double worstRatio,
                             String firstFailure, boolean inputsUnchanged, boolean paddingUntouched) {
    public boolean passed() {
        return failures == 0 && inputsUnchanged && paddingUntouched;
    }

    /** One line: what failed, or "ok". */
    public String summary() {
        if (passed()) {
            return "ok";
        }
        StringBuilder s = new StringBuilder();
        if (failures > 0) {
            s.append(failures).append(" of ").append(elements).append(" elements outside the bound, first ").append(firstFailure);
        }
        if (!inputsUnchanged) {
            s.append(s.isEmpty() ? "" : "; ").append("inputs were modified");
        }
        if (!paddingUntouched) {
            s.append(s.isEmpty() ? "" : "; ").append("memory beside the output (padding or guard) was overwritten");
        }
        return s.toString();
    }
}
