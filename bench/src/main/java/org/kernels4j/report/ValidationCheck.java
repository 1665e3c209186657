package org.kernels4j.report;

/**
 * One differential check: a backend (or a pair, "a vs b") against the reference on one case.
 *
 * @param op                  gemm, conv2d, allreduce
 * @param backend             the backend, or "a vs b" for a cross-check
 * @param inputDtype          input dtype (cli name)
 * @param outputDtype         output dtype (cli name)
 * @param testCase            the case's label (shape, flags)
 * @param fill                the input fill (RANDOM, SMALL_INTEGERS, EDGE...)
 * @param outcome             PASS, FAIL or NOT_RUN
 * @param worstErrorOverBound max |error| / bound over the elements (0 exact); null when not run or not finite
 * @param detail              what failed, or why it did not run; "" when passed
 */
public record ValidationCheck(String op, String backend, String inputDtype, String outputDtype, String testCase, String fill,
                              String outcome, Double worstErrorOverBound, String detail) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String NOT_RUN = "NOT_RUN";

    public ValidationCheck {
        Fields.text("op", op);
        Fields.text("backend", backend);
        Fields.text("inputDtype", inputDtype);
        Fields.text("outputDtype", outputDtype);
        Fields.text("testCase", testCase);
        fill = fill == null ? "" : fill;
        if (!PASS.equals(outcome) && !FAIL.equals(outcome) && !NOT_RUN.equals(outcome)) {
            throw new IllegalArgumentException("outcome: '" + outcome + "' is not PASS, FAIL or NOT_RUN");
        }
        worstErrorOverBound = Fields.finiteOrNull(worstErrorOverBound);
        detail = detail == null ? "" : detail;
    }
}
