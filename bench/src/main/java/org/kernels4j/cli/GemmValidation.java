package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.report.ValidationCheck;
import org.kernels4j.spi.Backend;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.GemmCase;
import org.kernels4j.validate.GemmCheck;

/**
 * Runs the differential check ({@link GemmCheck}: each backend against the double-precision reference
 * on the same rounded inputs, with DESIGN.md's error bound; then every pair of backends against each
 * other) over {@link GemmValidationCases}, and renders the outcome. A case a backend does not support is reported as not run, never as passed; a
 * backend that throws fails the case with the exception's message.
 */
final class GemmValidation {
    enum Outcome { PASS, FAIL, NOT_RUN }

    /**
     * One backend (or pair of backends, "a vs b") on one case.
     *
     * @param worstRatio max |error| / bound over the elements (0 when exact; NaN when not run)
     * @param detail     what failed, or why the case did not run; "" when passed
     */
    record Row(String backend, GemmCase testCase, Outcome outcome, double worstRatio, String detail) {
        String dtypes() {
            return testCase.spec().inputType().cliName() + "→" + testCase.spec().outputType().cliName();
        }

        ValidationCheck toCheck() {
            return new ValidationCheck(GemmBench.OP, backend, testCase.spec().inputType().cliName(),
                    testCase.spec().outputType().cliName(), testCase.label(), testCase.fill().name(), outcome.name(),
                    worstRatio, detail);
        }
    }

    private GemmValidation() {
    }

    static List<Row> run(List<Backend> backends, List<DType> dtypes, boolean quick, Terminal terminal) {
        List<GemmCase> cases = new ArrayList<>();
        for (DType dtype : dtypes) {
            cases.addAll(GemmValidationCases.forDtype(dtype, quick));
        }
        int pairs = backends.size() * (backends.size() - 1) / 2;
        Progress progress = terminal.progress((backends.size() + pairs) * cases.size());
        List<Row> rows = new ArrayList<>();
        for (Backend backend : backends) {
            for (GemmCase testCase : cases) {
                progress.step(backend.name() + " " + testCase.label());
                rows.add(check(backend.name(), backend.supports(testCase.spec()), testCase,
                        () -> GemmCheck.check(backend, testCase)));
            }
        }
        // Then every pair of backends against each other on the same inputs (e.g. CPU vs GPU).
        for (int i = 0; i < backends.size(); i++) {
            for (int j = i + 1; j < backends.size(); j++) {
                Backend first = backends.get(i);
                Backend second = backends.get(j);
                for (GemmCase testCase : cases) {
                    progress.step(first.name() + " vs " + second.name() + " " + testCase.label());
                    Availability both = first.supports(testCase.spec()).available() ? second.supports(testCase.spec())
                            : first.supports(testCase.spec());
                    rows.add(check(first.name() + " vs " + second.name(), both, testCase,
                            () -> GemmCheck.crossCheck(first, second, testCase)));
                }
            }
        }
        progress.finish();
        return rows;
    }

    private static Row check(String checked, Availability supported, GemmCase testCase, Supplier<CheckResult> run) {
        if (!supported.available()) {
            return new Row(checked, testCase, Outcome.NOT_RUN, Double.NaN, supported.reason());
        }
        try {
            CheckResult result = run.get();
            return new Row(checked, testCase, result.passed() ? Outcome.PASS : Outcome.FAIL, result.worstRatio(),
                    result.passed() ? "" : result.summary());
        } catch (RuntimeException e) {
            return new Row(checked, testCase, Outcome.FAIL, Double.POSITIVE_INFINITY, "threw " + e);
        }
    }

    static boolean anyFailed(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.outcome() == Outcome.FAIL);
    }

    /** One line per case (the case label names the dtypes and the shape). */
    static String detailTable(List<Row> rows) {
        TextTable table = new TextTable("backend", "case", "fill", "max err/bound", "result").numeric(3);
        for (Row row : rows) {
            table.row(row.backend(), row.testCase().label(), row.testCase().fill().name().toLowerCase(Locale.ROOT),
                    ratio(row.worstRatio()), row.outcome() == Outcome.NOT_RUN ? "not run: " + row.detail()
                            : row.outcome() + (row.detail().isEmpty() ? "" : ": " + row.detail()));
        }
        return table.render();
    }

    /** "validate: 190 of 192 checks passed, 2 failed, 0 not run". */
    static String totals(List<Row> rows) {
        return "validate: " + count(rows, Outcome.PASS) + " of " + rows.size() + " checks passed, " + count(rows, Outcome.FAIL)
                + " failed, " + count(rows, Outcome.NOT_RUN) + " not run (unsupported)";
    }

    private static long count(List<Row> rows, Outcome outcome) {
        return rows.stream().filter(r -> r.outcome() == outcome).count();
    }

    private static String ratio(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Double.isInfinite(value)) {
            return "inf";
        }
        return value == 0 ? "0 (exact)" : String.format(Locale.ROOT, "%.3g", value);
    }
}
