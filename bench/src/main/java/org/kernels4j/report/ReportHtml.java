package org.kernels4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page: machine, backends, validation summary, failures, throughput
 * tables per op and dtype, plots, notes. Section ids: {@value #MACHINE}, {@value #BACKENDS}, {@value #VALIDATION},
 * {@value #FAILURES}, {@code throughput-OP}, {@value #PLOTS}, {@value #NOTES}.
 */
public final class ReportHtml {
    public static final String MACHINE = "machine";
    public static final String BACKENDS = "backends";
    public static final String VALIDATION = "validation";
    public static final String FAILURES = "failures";
    public static final String PLOTS = "plots";
    public static final String NOTES = "notes";

    /** What the rows of an op mean, where the general explanation is not enough. */
    private static final Map<String, String> OP_NOTES = Map.of(
            "conv2d", "Rate = 2·N·K·C/g·R·S·P·Q operations per call (ResNet-50 layers at the batch shown, NHWC); the roofline "
                    + "counts x and w read once and y written once.",
            "allreduce", "Rate = bus bandwidth (nccl-tests' busbw: size per rank / time × 2(n−1)/n), a sum over the ranks; "
                    + "the time of a call is the slowest rank's, and every element of the result is checked. threads = ranks, one "
                    + "thread each. The MPI transport's rows have MPI_Allreduce as the peer, run alternately with ours in the same "
                    + "job (MPI has no FP16 or BF16 datatype, so those rows have none).");

    private ReportHtml() {
    }

    public static String render(Results results, List<Plot> plots) {
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(plots, "plots");
        Map<String, List<Measurement>> byOp = results.measurements().stream()
                .collect(Collectors.groupingBy(Measurement::op, LinkedHashMap::new, Collectors.toList()));
        List<String[]> navigation = new ArrayList<>();
        navigation.add(new String[] {MACHINE, "Machine"});
        navigation.add(new String[] {BACKENDS, "Backends"});
        navigation.add(new String[] {VALIDATION, "Validation"});
        navigation.add(new String[] {FAILURES, "Failures"});
        byOp.keySet().forEach(op -> navigation.add(new String[] {"throughput-" + op, op.toUpperCase(Locale.ROOT) + " throughput"}));
        navigation.add(new String[] {PLOTS, "Plots"});
        navigation.add(new String[] {NOTES, "Notes"});
        HtmlPage page = new HtmlPage("kernels4j report — " + results.machine().cpu().model(),
                results.mode() + " run, " + results.createdAt() + ", " + results.generator(), navigation);
        machine(page, results);
        page.section(BACKENDS, "Backends and peers").table(List.of("backend", "role", "kind", "device", "dtypes", "status"),
                results.devices().stream().map(d -> List.of(d.backend(), d.role(), d.kind(), d.device(),
                        d.dtypes().isEmpty() ? "-" : String.join(", ", d.dtypes()), d.available() ? "available" : "unavailable: " + d.reason()))
                        .toList()).endSection();
        validation(page, results.validation());
        List<Measurement> failed = results.measurements().stream().filter(m -> m.status().equals(Measurement.FAILED)).toList();
        page.section(FAILURES, "Failures while measuring");
        if (failed.isEmpty()) {
            page.paragraph("No backend failed while being measured.");
        } else {
            page.paragraph(failed.size() + " measurements failed; the others went on. The message is the backend's exception.")
                    .table(MeasurementCells.HEADERS, failed.stream().map(MeasurementCells::of).toList(), MeasurementCells.NUMERIC);
        }
        page.endSection();
        byOp.forEach((op, rows) -> {
            page.section("throughput-" + op, op.toUpperCase(Locale.ROOT) + " throughput")
                    .paragraph("Median rate over the timed runs after warm-up; spread = slowest–fastest run; % peak = share of the "
                            + "estimated peak for the threads used; ratio = ours / the peer measured in the same run on the same operands.");
            if (OP_NOTES.containsKey(op)) {
                page.paragraph(OP_NOTES.get(op));
            }
            rows.stream().collect(Collectors.groupingBy(Measurement::dtype, LinkedHashMap::new, Collectors.toList()))
                    .forEach((dtype, group) -> page.heading(dtype.toUpperCase(Locale.ROOT))
                            .table(MeasurementCells.HEADERS, group.stream().map(MeasurementCells::of).toList(), MeasurementCells.NUMERIC));
            page.endSection();
        });
        page.section(PLOTS, "Plots");
        if (plots.isEmpty()) {
            page.paragraph("No plot: nothing was measured successfully.");
        } else {
            page.plots(plots);
        }
        page.endSection();
        notes(page, results);
        return page.finish();
    }

    private static void machine(HtmlPage page, Results results) {
        Machine machine = results.machine();
        Cpu cpu = machine.cpu();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CPU", cpu.model() + (cpu.vendor().isEmpty() ? "" : " (" + cpu.vendor() + ")")));
        rows.add(List.of("cores", cpu.physicalCores() + " cores, " + cpu.logicalProcessors() + " logical processors (" + cpu.architecture() + ")"));
        rows.add(List.of("clock", cpu.ghz() > 0 ? Units.number(cpu.ghz()) + " GHz — " + cpu.ghzSource() : cpu.ghzSource()));
        rows.add(List.of("vector width", cpu.vectorBits() > 0 ? cpu.vectorBits() + " bits" : "unknown"));
        rows.add(List.of("features", cpu.features().isEmpty() ? "none found" : String.join(", ", cpu.features())));
        rows.add(List.of("caches", cpu.caches().isEmpty() ? "unknown" : cpu.caches().stream()
                .map(c -> "L" + c.level() + " " + c.type().toLowerCase(Locale.ROOT) + " " + Units.bytes(c.bytes())
                        + (c.sharedBy() > 1 ? " (shared by " + c.sharedBy() + ")" : ""))
                .collect(Collectors.joining(", "))));
        rows.add(List.of("memory", machine.memoryBytes() > 0 ? Units.bytes(machine.memoryBytes()) : "unknown"));
        rows.add(List.of("GPUs", machine.gpus().stream().noneMatch(g -> g.kind().equals(Machine.Gpu.GPU) && g.available())
                ? "none found (see the accelerators below)" : machine.gpus().stream()
                .filter(g -> g.kind().equals(Machine.Gpu.GPU) && g.available()).map(g -> g.name() + " (" + g.backend() + ")")
                .collect(Collectors.joining("; "))));
        rows.add(List.of("OS", machine.os()));
        rows.add(List.of("JDK", machine.jdk()));
        MemoryBandwidth bandwidth = results.memoryBandwidth();
        rows.add(List.of("memory bandwidth (measured)", bandwidth == null ? "not measured" : "copy " + Units.number(bandwidth.copyGBs())
                + " GB/s, triad " + Units.number(bandwidth.triadGBs()) + " GB/s (best of " + bandwidth.repetitions() + ", "
                + Units.bytes(bandwidth.arrayBytes()) + " arrays, " + bandwidth.threads() + " threads)"));
        page.section(MACHINE, "Machine").table(List.of("", ""), rows);
        if (!machine.gpus().isEmpty()) {
            page.heading("Accelerators (what the CUDA driver and the OpenCL platforms report)")
                    .table(List.of("backend", "kind", "device", "status", "details"), machine.gpus().stream()
                            .map(g -> List.of(g.backend(), g.kind(), g.name(), g.available() ? "available" : "unavailable: " + g.reason(),
                                    g.details().isEmpty() ? "-" : g.details().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                            .collect(Collectors.joining("; ")))).toList());
        }
        if (results.peaks().isEmpty()) {
            page.paragraph("No peak estimate: the clock or the vector width is unknown.");
        } else {
            page.heading("Peak per dtype (estimate: cores × GHz × FMA units × lanes × 2)")
                    .table(List.of("device", "dtype", "peak (estimate)", "cores", "GHz", "FMA units", "lanes", "basis"),
                            results.peaks().stream().map(p -> List.of(p.device(), p.dtype(), Units.number(p.value()) + " " + p.unit(),
                                    Integer.toString(p.cores()), Units.number(p.ghz()), Integer.toString(p.fmaUnits()),
                                    Integer.toString(p.lanes()), p.basis())).toList(), 2, 3, 4, 5, 6);
        }
        page.endSection();
    }

    private static void validation(HtmlPage page, List<ValidationCheck> checks) {
        page.section(VALIDATION, "Validation against the reference");
        if (checks.isEmpty()) {
            page.paragraph("No backend besides the reference is available: nothing was checked.");
        } else {
            page.paragraph("Each backend against the double-precision reference on the same rounded inputs, then every pair of "
                    + "backends against each other; max err/bound ≤ 1 passes, exact cases must match bit for bit. "
                    + ValidationSummary.totals(checks) + ".");
            page.table(List.of("backend", "op", "dtype", "checks", "passed", "failed", "not run", "max err/bound"),
                    ValidationSummary.of(checks).stream().map(s -> List.of(s.backend(), s.op(), s.dtypes(), Integer.toString(s.checks()),
                            Integer.toString(s.passed()), Integer.toString(s.failed()), Integer.toString(s.notRun()), s.worst())).toList(),
                    3, 4, 5, 6, 7);
            List<ValidationCheck> failures = checks.stream().filter(c -> c.outcome().equals(ValidationCheck.FAIL)).toList();
            if (!failures.isEmpty()) {
                page.heading("Failed checks").table(List.of("backend", "dtype", "case", "fill", "result"), failures.stream()
                        .map(c -> List.of(c.backend(), c.inputDtype() + "→" + c.outputDtype(), c.testCase(), c.fill(), "FAIL: " + c.detail()))
                        .toList());
            }
        }
        page.endSection();
    }

    private static void notes(HtmlPage page, Results results) {
        page.section(NOTES, "Notes");
        page.paragraph("Peaks are estimates, not measurements: cores × GHz × FMA units per core × multiply-adds per unit and cycle "
                + "for the dtype × 2. The basis column says which instructions and unit counts were assumed; the clock under load "
                + "and the code the JIT emits move the real ceiling.");
        page.paragraph("Memory bandwidth is measured: STREAM-style copy and triad over off-heap arrays much larger than the caches, "
                + "best repetition, counting bytes read and written.");
        page.paragraph("results.json beside this page holds every number shown here (schema version " + Results.SCHEMA_VERSION
                + ", see docs/results-schema.md); k4j compare A.json B.json puts runs side by side.");
        results.notes().forEach(page::paragraph);
        page.endSection();
    }
}
