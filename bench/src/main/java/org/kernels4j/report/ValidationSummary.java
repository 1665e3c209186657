package org.kernels4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Validation checks counted per backend (or pair) × op × dtypes, in the order they ran.
 *
 * @param backend     the backend or "a vs b"
 * @param op          the op
 * @param dtypes      "fp16→fp32"
 * @param checks      checks in the group
 * @param passed      passed
 * @param failed      failed
 * @param notRun      not run (unsupported)
 * @param worstRatio  max error / bound among the checks that ran, NaN when none ran
 */
public record ValidationSummary(String backend, String op, String dtypes, int checks, int passed, int failed, int notRun,
                                double worstRatio) {
    public static List<ValidationSummary> of(List<ValidationCheck> checks) {
        Objects.requireNonNull(checks, "checks");
        Map<List<String>, List<ValidationCheck>> groups = new LinkedHashMap<>();
        for (ValidationCheck check : checks) {
            groups.computeIfAbsent(List.of(check.backend(), check.op(), check.inputDtype() + "→" + check.outputDtype()),
                    key -> new ArrayList<>()).add(check);
        }
        List<ValidationSummary> summaries = new ArrayList<>();
        groups.forEach((key, group) -> summaries.add(new ValidationSummary(key.get(0), key.get(1), key.get(2), group.size(),
                count(group, ValidationCheck.PASS), count(group, ValidationCheck.FAIL), count(group, ValidationCheck.NOT_RUN),
                group.stream().filter(c -> !c.outcome().equals(ValidationCheck.NOT_RUN))
                        .mapToDouble(c -> c.worstErrorOverBound() == null ? Double.POSITIVE_INFINITY : c.worstErrorOverBound())
                        .max().orElse(Double.NaN))));
        return summaries;
    }

    /** "240 of 240 checks passed, 0 failed, 0 not run (unsupported)". */
    public static String totals(List<ValidationCheck> checks) {
        return count(checks, ValidationCheck.PASS) + " of " + checks.size() + " checks passed, " + count(checks, ValidationCheck.FAIL)
                + " failed, " + count(checks, ValidationCheck.NOT_RUN) + " not run (unsupported)";
    }

    /** "0.122", "0 (exact)", "inf" (failed without a ratio, e.g. it threw), "-" (nothing ran). */
    public String worst() {
        if (Double.isNaN(worstRatio)) {
            return "-";
        }
        if (Double.isInfinite(worstRatio)) {
            return "inf";
        }
        return worstRatio == 0 ? "0 (exact)" : String.format(Locale.ROOT, "%.3g", worstRatio);
    }

    private static int count(List<ValidationCheck> checks, String outcome) {
        return (int) checks.stream().filter(c -> c.outcome().equals(outcome)).count();
    }
}
