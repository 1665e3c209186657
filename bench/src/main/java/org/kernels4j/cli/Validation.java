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
import org.kernels4j.validate.CheckCase;
import org.kernels4j.validate.CheckResult;
import org.kernels4j.validate.Fill;

/**
 * The differential check of {@code k4j validate} and {@code k4j report} for any op: each backend against the
 * double-precision reference on every case, then every pair of backends against each other on the same inputs, and
 * the tables of the outcome. A case a backend does not support is reported as not run, never as passed; a backend
 * that throws fails the case with the exception's message. The op's {@link Checker} says how to run its cases.
 */
final class Validation {
    enum Outcome { PASS, FAIL, NOT_RUN }

    /** How the runner checks one op's cases ({@code GemmCase}, {@code Conv2dCase}). */
    interface Checker<C extends CheckCase> {
        /** The op's command-line name ("gemm", "conv2d"). */
        String op();

        Availability supports(Backend backend, C testCase);

        CheckResult<C> check(Backend backend, C testCase);

        CheckResult<C> crossCheck(Backend first, Backend second, C testCase);
    }

    /**
     * One backend (or pair of backends, "a vs b") on one case.
     *
     * @param label      the case, dtypes and shape included
     * @param worstRatio max |error| / bound over the elements (0 when exact; NaN when not run)
     * @param detail     what failed, or why the case did not run; "" when passed
     */
    record Row(String op, String backend, String label, Fill fill, DType inputType, DType outputType, Outcome outcome,
               double worstRatio, String detail) {
        String dtypes() {
            return inputType.cliName() + "→" + outputType.cliName();
        }

        ValidationCheck toCheck() {
            return new ValidationCheck(op, backend, inputType.cliName(), outputType.cliName(), label, fill.name(),
                    outcome.name(), worstRatio, detail);
        }
    }

    private Validation() {
    }

    static <C extends CheckCase> List<Row> run(List<Backend> backends, List<C> cases, Checker<C> checker, Terminal terminal) {
        int pairs = backends.size() * (backends.size() - 1) / 2;
        Progress progress = terminal.progress((backends.size() + pairs) * cases.size());
        List<Row> rows = new ArrayList<>();
        for (Backend backend : backends) {
            for (C testCase : cases) {
                progress.step(backend.name() + " " + testCase.label());
                rows.add(check(checker, backend.name(), checker.supports(backend, testCase), testCase,
                        () -> checker.check(backend, testCase)));
            }
        }
        // Then every pair of backends against each other on the same inputs (e.g. CPU vs GPU).
        for (int i = 0; i < backends.size(); i++) {
            for (int j = i + 1; j < backends.size(); j++) {
                Backend first = backends.get(i);
                Backend second = backends.get(j);
                for (C testCase : cases) {
                    progress.step(first.name() + " vs " + second.name() + " " + testCase.label());
                    Availability firstSupports = checker.supports(first, testCase);
                    Availability both = firstSupports.available() ? checker.supports(second, testCase) : firstSupports;
                    rows.add(check(checker, first.name() + " vs " + second.name(), both, testCase,
                            () -> checker.crossCheck(first, second, testCase)));
                }
            }
        }
        progress.finish();
        return rows;
    }

    private static <C extends CheckCase> Row check(Checker<C> checker, String checked, Availability supported, C testCase,
                                 Supplier<CheckResult<C>> run) {
        Outcome outcome;
        double worst;
        String detail;
        if (!supported.available()) {
            outcome = Outcome.NOT_RUN;
            worst = Double.NaN;
            detail = supported.reason();
        } else {
            try {
                CheckResult<C> result = run.get();
                outcome = result.passed() ? Outcome.PASS : Outcome.FAIL;
                worst = result.worstRatio();
                detail = result.passed() ? "" : result.summary();
            } catch (RuntimeException e) {
                outcome = Outcome.FAIL;
                worst = Double.POSITIVE_INFINITY;
                detail = "threw " + e;
            }
        }
        return new Row(checker.op(), checked, testCase.label(), testCase.fill(), testCase.inputType(),
                testCase.outputType(), outcome, worst, detail);
    }

    static boolean anyFailed(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.outcome() == Outcome.FAIL);
    }

    /** One line per case (the case label names the dtypes and the shape). */
    static String detailTable(List<Row> rows) {
        TextTable table = new TextTable("backend", "case", "fill", "max err/bound", "result").numeric(3);
        for (Row row : rows) {
            table.row(row.backend(), row.label(), row.fill().name().toLowerCase(Locale.ROOT),
                    ratio(row.worstRatio()), row.outcome() == Outcome.NOT_RUN ? "not run: " + row.detail()
                            : row.outcome() + (row.detail().isEmpty() ? "" : ": " + row.detail()));
        }
        return table.render();
    }

    /** One line per backend × dtype pair. */
    static String summaryTable(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row row : rows) {
            groups.computeIfAbsent(row.op() + "\u0000" + row.backend() + "\u0000" + row.dtypes(), key -> new ArrayList<>()).add(row);
        }
        TextTable table = new TextTable("backend", "dtype", "checks", "passed", "failed", "not run", "max err/bound")
                .numeric(2, 3, 4, 5, 6);
        for (List<Row> group : groups.values()) {
            double worst = group.stream().filter(r -> r.outcome() != Outcome.NOT_RUN).mapToDouble(Row::worstRatio).max().orElse(Double.NaN);
            table.row(group.get(0).backend(), group.get(0).dtypes(), Integer.toString(group.size()),
                    Long.toString(count(group, Outcome.PASS)), Long.toString(count(group, Outcome.FAIL)),
                    Long.toString(count(group, Outcome.NOT_RUN)), ratio(worst));
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
