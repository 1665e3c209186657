package org.kernels4j.validate;

/**
 * Outcome of checking one backend on one {@link GemmCase}.
 *
 * @param backend          backend checked
 * @param testCase         the case
 * @param elements         output elements compared
 * @param failures         elements outside the bound (or whose NaN/Inf pattern differs)
 * @param worstRatio       max over elements of |y − ref| / bound (0 when exact; Inf when the bound is 0 and y differs)
 * @param firstFailure     description of the first failing element, or "" when none
 * @param inputsUnchanged  A and B (including padding) byte-identical after the call
 * @param paddingUntouched C's padding still holds the rogue value
 */
public record CheckResult(String backend, GemmCase testCase, long elements, long failures, double worstRatio,
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
            s.append(s.isEmpty() ? "" : "; ").append("inputs A/B were modified");
        }
        if (!paddingUntouched) {
            s.append(s.isEmpty() ? "" : "; ").append("padding of C was overwritten");
        }
        return s.toString();
    }
}
