package org.kernels4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.MemoryBandwidth;
import org.kernels4j.report.Results;
import org.kernels4j.report.Units;
import org.kernels4j.report.ValidationCheck;
import org.kernels4j.report.ValidationSummary;

/** A report as plain text, for terminals and {@code report.txt}: the same sections as the HTML page, without plots. */
final class ReportText {
    private ReportText() {
    }

    static String render(Results results) {
        StringBuilder text = new StringBuilder();
        text.append("kernels4j report").append(results.mode().equals("default") ? "" : " (" + results.mode() + ")")
                .append(", ").append(results.createdAt()).append('\n');
        text.append("machine: ").append(results.machine().summary()).append('\n');
        text.append("features: ").append(String.join(", ", results.machine().cpu().features())).append('\n');
        results.machine().gpus().forEach(gpu -> text.append("accelerator: ").append(gpu.backend()).append(' ').append(gpu.kind())
                .append(' ').append(gpu.name()).append(gpu.available() ? "" : " — unavailable: " + gpu.reason())
                .append(gpu.details().isEmpty() ? "" : " (" + gpu.details().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")) + ")").append('\n'));
        if (!results.peaks().isEmpty()) {
            text.append("peak (estimate: cores × GHz × FMA units × lanes × 2): ").append(results.peaks().stream()
                    .map(p -> p.dtype() + " " + Units.number(p.value()) + " " + p.unit()).collect(Collectors.joining(", "))).append('\n');
        }
        MemoryBandwidth bandwidth = results.memoryBandwidth();
        if (bandwidth != null) {
            text.append("memory bandwidth (measured, best of ").append(bandwidth.repetitions()).append("): copy ")
                    .append(Units.number(bandwidth.copyGBs())).append(" GB/s, triad ").append(Units.number(bandwidth.triadGBs()))
                    .append(" GB/s (").append(Units.bytes(bandwidth.arrayBytes())).append(" arrays, ")
                    .append(bandwidth.threads()).append(" threads)\n");
        }
        text.append("\nBackends and peers\n").append(DevicesCommand.table(results.devices())).append('\n');
        validation(text, results.validation());
        List<Measurement> failed = results.measurements().stream().filter(m -> m.status().equals(Measurement.FAILED)).toList();
        if (!failed.isEmpty()) {
            text.append("\nFailed while measuring (the other measurements went on)\n").append(MeasurementTable.render(failed));
        }
        byOp(results.measurements()).forEach((op, rows) -> text.append('\n').append(op.toUpperCase(Locale.ROOT))
                .append(" throughput (median of the runs; spread = slowest–fastest run; % peak = of the estimate; ratio = ours / peer)\n")
                .append(MeasurementTable.render(rows)));
        if (!results.notes().isEmpty()) {
            text.append('\n');
            results.notes().forEach(note -> text.append("note: ").append(note).append('\n'));
        }
        return text.toString();
    }

    private static void validation(StringBuilder text, List<ValidationCheck> checks) {
        text.append("Validation against the reference (max err/bound ≤ 1 passes; exact cases must match bit for bit)\n");
        if (checks.isEmpty()) {
            text.append("no backend besides the reference is available: nothing was checked\n");
            return;
        }
        TextTable table = new TextTable("backend", "op", "dtype", "checks", "passed", "failed", "not run", "max err/bound")
                .numeric(3, 4, 5, 6, 7);
        for (ValidationSummary group : ValidationSummary.of(checks)) {
            table.row(group.backend(), group.op(), group.dtypes(), Integer.toString(group.checks()), Integer.toString(group.passed()),
                    Integer.toString(group.failed()), Integer.toString(group.notRun()), group.worst());
        }
        text.append(table.render());
        List<ValidationCheck> failures = checks.stream().filter(c -> c.outcome().equals(ValidationCheck.FAIL)).toList();
        if (!failures.isEmpty()) {
            TextTable failed = new TextTable("backend", "case", "fill", "result");
            failures.forEach(c -> failed.row(c.backend(), c.testCase(), c.fill().toLowerCase(Locale.ROOT), "FAIL: " + c.detail()));
            text.append("\nFailed cases\n").append(failed.render());
        }
        text.append("validate: ").append(ValidationSummary.totals(checks)).append('\n');
    }

    /** Measurements grouped by op, in the order ops first appear. */
    static Map<String, List<Measurement>> byOp(List<Measurement> measurements) {
        return measurements.stream().collect(Collectors.groupingBy(Measurement::op, LinkedHashMap::new, Collectors.toList()));
    }
}
