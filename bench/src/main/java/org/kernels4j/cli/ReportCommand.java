package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * {@code k4j report}: what this machine has, the differential check of every available backend, and
 * GEMM throughput per dtype and backend next to OpenBLAS, as one plain-text report (and, with
 * {@code --out DIR}, DIR/report.txt and DIR/results.json). Exits 1 when a check fails.
 *
 * <p>Default run: the full validation, sizes 256, 512 and 1024 with one thread and with all processors.
 * {@code --quick}: the quick validation, sizes 256 and 512 with all processors, fewer runs. The
 * reference backend is measured only when no other backend is available (and then at a small size only:
 * it is an oracle, not a contender). The throughput table leaves out what a backend cannot run; the
 * validation table counts those cases as not run.
 */
final class ReportCommand implements Command {
    private static final List<GemmShape> FULL_SHAPES = BenchGemmCommand.DEFAULT_SHAPES;
    private static final List<GemmShape> QUICK_SHAPES = List.of(GemmShape.square(256), GemmShape.square(512));
    private static final List<GemmShape> REFERENCE_SHAPES = List.of(GemmShape.square(128));

    @Override
    public OptionParser parser() {
        return new OptionParser("report")
                .flag("quick", "quick validation and fewer, smaller benchmarks (about a minute)")
                .value("out", "DIR", "also write DIR/report.txt and DIR/results.json (DIR is created)");
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        Path outDirectory = options.optionalPath("out");
        if (outDirectory != null && Files.exists(outDirectory) && !Files.isDirectory(outDirectory)) {
            throw new BadInputException("--out: '" + outDirectory + "' exists and is not a directory");
        }
        boolean quick = options.has("quick");
        int processors = Runtime.getRuntime().availableProcessors();
        MachineInfo machine = MachineInfo.current();
        List<Device> devices;
        List<String> benchmarked;
        List<Validation.Row> validation;
        try (Kernels kernels = Kernels.open(new BackendContext(processors)); OpenBlasPeer peer = OpenBlasPeer.open(processors)) {
            devices = new ArrayList<>(kernels.devices());
            devices.add(peer.device());
            List<Backend> checked = ValidateCommand.checkedBackends(kernels);
            validation = GemmValidation.run(checked, GemmDtypes.INPUTS, quick, terminal);
            benchmarked = checked.isEmpty() ? List.of(ReferenceBackend.NAME) : checked.stream().map(Backend::name).toList();
        }
        List<GemmBench.Row> benchmarks = GemmBench.run(benchPlan(benchmarked, quick, processors), terminal);

        String text = text(machine, devices, validation, benchmarks, quick);
        terminal.out().print(text);
        if (outDirectory != null) {
            Files.createDirectories(outDirectory);
            AtomicFiles.writeString(outDirectory.resolve("report.txt"), text);
            AtomicFiles.writeString(outDirectory.resolve("results.json"), Json.write(json(machine, devices, validation, benchmarks)));
            terminal.err().println("k4j report: wrote " + outDirectory.resolve("report.txt") + " and " + outDirectory.resolve("results.json"));
        }
        return Validation.anyFailed(validation) ? 1 : 0;
    }

    private static GemmBench.Plan benchPlan(List<String> backends, boolean quick, int processors) {
        boolean referenceOnly = backends.equals(List.of(ReferenceBackend.NAME));
        List<GemmShape> shapes = referenceOnly ? REFERENCE_SHAPES : quick ? QUICK_SHAPES : FULL_SHAPES;
        List<Integer> threads = quick || processors == 1 ? List.of(processors) : List.of(1, processors);
        GemmTimer timer = new GemmTimer(quick ? 3 : 5, BenchGemmCommand.MIN_WARMUP, BenchGemmCommand.MAX_WARMUP, quick ? 3 : 5);
        return new GemmBench.Plan(backends, GemmDtypes.INPUTS, shapes, threads, false, false, GemmBench.PeerUse.IF_AVAILABLE,
                timer, false);
    }

    private static String text(MachineInfo machine, List<Device> devices, List<Validation.Row> validation,
                               List<GemmBench.Row> benchmarks, boolean quick) {
        StringBuilder text = new StringBuilder();
        text.append("kernels4j report").append(quick ? " (quick)" : "").append(", ").append(machine.measuredAt()).append('\n');
        text.append("machine: ").append(machine.summary()).append("\n\n");
        text.append("Backends and peers\n").append(DevicesCommand.table(devices)).append('\n');
        text.append("Validation against the reference (max err/bound ≤ 1 passes; exact cases must match bit for bit)\n");
        if (validation.isEmpty()) {
            text.append("no backend besides the reference is available: nothing was checked\n");
        } else {
            text.append(Validation.summaryTable(validation));
            List<Validation.Row> failures = validation.stream().filter(r -> r.outcome() == Validation.Outcome.FAIL).toList();
            if (!failures.isEmpty()) {
                text.append("\nFailed cases\n").append(Validation.detailTable(failures));
            }
            text.append(Validation.totals(validation)).append('\n');
        }
        text.append("\nGEMM throughput (median of the runs; spread = slowest–fastest run; ratio = ours / peer)\n");
        text.append(GemmBench.table(benchmarks));
        return text.toString();
    }

    private static Map<String, Object> json(MachineInfo machine, List<Device> devices, List<Validation.Row> validation,
                                            List<GemmBench.Row> benchmarks) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine.toJson());
        json.put("devices", devices.stream().map(ReportCommand::deviceJson).toList());
        json.put("validation", validation.stream().map(Validation.Row::toJson).toList());
        json.put("benchmarks", benchmarks.stream().map(GemmBench.Row::toJson).toList());
        return json;
    }

    private static Map<String, Object> deviceJson(Device device) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backend", device.backend());
        json.put("device", device.name());
        json.put("kind", device.kind().name());
        json.put("dtypes", device.dtypes().stream().sorted().map(d -> d.cliName()).toList());
        json.put("available", device.availability().available());
        json.put("reason", device.availability().reason());
        return json;
    }
}
