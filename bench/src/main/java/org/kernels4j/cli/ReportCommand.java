package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.report.BandwidthProbe;
import org.kernels4j.report.DeviceStatus;
import org.kernels4j.report.JmhResults;
import org.kernels4j.report.Machine;
import org.kernels4j.report.Machines;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.MemoryBandwidth;
import org.kernels4j.report.Peak;
import org.kernels4j.report.PeakEstimator;
import org.kernels4j.report.PeakShares;
import org.kernels4j.report.ReportFiles;
import org.kernels4j.report.Results;
import org.kernels4j.report.ResultsFormatException;
import org.kernels4j.report.ValidationCheck;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * {@code k4j report}: what this machine has (processor, features, caches, memory, GPUs; estimated peaks and
 * measured memory bandwidth), the differential check of every available backend, and throughput per op, dtype
 * and backend next to the peers measured in the same run. Writes DIR/results.json (see
 * {@code docs/results-schema.md}), DIR/index.html (one self-contained page with tables and plots), the plots
 * as DIR/*.png and DIR/report.txt, and prints the text report. See {@link ReportPlan} for what each mode measures.
 *
 * <p>Whatever is missing (a GPU, OpenBLAS, an OpenCL platform) is stated, not an error. A backend that throws
 * while being measured is marked FAILED with its message, and the rest goes on. Exits 1 when a check failed or a
 * backend failed (the files are written all the same), 0 otherwise.
 */
final class ReportCommand implements Command {
    static final Path DEFAULT_OUT = Path.of("k4j-report");
    private static final List<GemmProblem> REFERENCE_PROBLEMS = List.of(new GemmProblem("square_128", GemmShape.square(128), false, false));

    @Override
    public OptionParser parser() {
        return new OptionParser("report")
                .flag("quick", "quick validation and fewer, smaller benchmarks (minutes on 2 cores)")
                .flag("full", "full validation and every shape, layer and size of the standard sets (long on a small machine)")
                .value("out", "DIR", "where to write index.html, results.json, report.txt and the plots (default " + DEFAULT_OUT + ")")
                .value("backend", "LIST", "only these backends, comma-separated (default: every available one)")
                .value("dtype", "LIST", "only these dtypes, comma-separated (default fp32,fp16,bf16,int8 for GEMM and conv2d, "
                        + "fp32,fp16,bf16,int32 for all-reduce)")
                .value("jmh", "FILE", "also list the results of a JMH JSON file (k4j bench --jmh ... -rf json -rff FILE)")
                .flag("quiet", "no progress and no text report on the terminal: only the files");
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        if (options.has("quick") && options.has("full")) {
            throw new BadInputException("report: --quick and --full exclude each other");
        }
        Path out = options.has("out") ? options.optionalPath("out") : DEFAULT_OUT;
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out: '" + out + "' exists and is not a directory");
        }
        List<DType> dtypes = computeDtypes(options);
        List<DType> allReduceDtypes = options.has("dtype")
                ? options.dtypes("dtype", List.of()).stream().filter(ReportAllReduce.DTYPES::contains).toList()
                : ReportAllReduce.DTYPES;
        List<Measurement> jmh = options.has("jmh") ? jmh(options.optionalPath("jmh")) : List.of();
        boolean quiet = options.has("quiet");
        Terminal progress = quiet ? new Terminal(terminal.out(), terminal.err(), false) : terminal;
        ReportPlan plan = ReportPlan.forMode(options.has("quick"), options.has("full"));
        String startedAt = Instant.now().toString();
        int processors = Runtime.getRuntime().availableProcessors();
        List<String> notes = new ArrayList<>();

        List<DeviceStatus> devices = new ArrayList<>();
        List<Device> found;
        List<String> measured;
        List<ValidationCheck> validation;
        List<Measurement> convolutions;
        List<Measurement> allReduces;
        try (Kernels kernels = Kernels.open(new BackendContext(processors)); OpenBlasPeer peer = OpenBlasPeer.open(processors);
             OneDnnPeer onednn = OneDnnPeer.open(processors)) {
            found = kernels.devices();
            found.forEach(d -> devices.add(DeviceStatus.of(d, DeviceStatus.BACKEND)));
            devices.add(DeviceStatus.of(peer.device(), DeviceStatus.PEER));
            devices.add(DeviceStatus.of(onednn.device(), DeviceStatus.PEER));
            devices.add(ReportAllReduce.mpiPeer());
            List<Backend> checked = options.has("backend")
                    ? options.list("backend").stream().map(name -> BackendChoice.named(kernels, name)).toList()
                    : ValidateCommand.checkedBackends(kernels);
            List<Validation.Row> rows = new ArrayList<>(GemmValidation.run(checked, dtypes, plan.quickValidation(), progress));
            List<Backend> withConv = ValidateCommand.convBackends(checked, dtypes, plan.quickValidation());
            rows.addAll(Conv2dValidation.run(withConv, dtypes, plan.quickValidation(), progress));
            validation = rows.stream().map(Validation.Row::toCheck).toList();
            measured = benchmarked(checked, notes);
            // The reference is the oracle: its convolutions of ResNet layers would take minutes and tell nothing.
            List<Backend> timedConv = withConv.stream().filter(b -> !b.name().equals(ReferenceBackend.NAME)).toList();
            convolutions = ReportConv2d.run(plan.conv(), timedConv, dtypes, processors, convPeer(onednn, notes), progress);
            allReduces = ReportAllReduce.run(plan.allReduce(), allReduceDtypes, kernels, progress, notes);
        }
        Machine machine = Machines.withAcceleratorDetails();
        List<Peak> peaks = PeakEstimator.cpuPeaks(machine.cpu());
        MemoryBandwidth bandwidth = bandwidth(plan, machine, processors, notes);
        boolean referenceOnly = measured.equals(List.of(ReferenceBackend.NAME));
        GemmBench.Plan bench = new GemmBench.Plan(measured, dtypes, referenceOnly ? REFERENCE_PROBLEMS : plan.problems(),
                plan.threads(processors), GemmBench.PeerUse.IF_AVAILABLE, plan.timer(), false, ReportPlan.GEMM_CALL_LIMIT_SECONDS);
        List<Measurement> measurements = new ArrayList<>(GemmBench.run(bench, progress));
        measurements.addAll(convolutions);
        measurements.addAll(allReduces);
        measurements.addAll(jmh);
        if (!jmh.isEmpty()) {
            notes.add(jmh.size() + " rows from the JMH file " + options.optionalPath("jmh") + " (source jmh)");
        }
        Results results = Results.of("k4j report" + versionSuffix(), startedAt, plan.mode(), machine, devices, peaks, bandwidth,
                validation, PeakShares.apply(measurements, peaks), notes);

        String text = ReportText.render(results);
        Files.createDirectories(out);
        List<Path> written = ReportFiles.write(out, results, text);
        if (!quiet) {
            terminal.out().print(text);
            terminal.err().println("k4j report: wrote " + out.resolve(ReportFiles.INDEX) + " (open it in a browser), "
                    + ReportFiles.RESULTS + ", " + ReportFiles.TEXT + " and " + (written.size() - 3) + " plots");
        }
        boolean failed = validation.stream().anyMatch(c -> c.outcome().equals(ValidationCheck.FAIL))
                || measurements.stream().anyMatch(m -> m.status().equals(Measurement.FAILED));
        return failed ? 1 : 0;
    }

    /**
     * The GEMM and conv2d dtypes among {@code --dtype} (all four without it); a dtype that no op of the report measures
     * is bad input.
     */
    private static List<DType> computeDtypes(Options options) {
        List<DType> listed = options.dtypes("dtype", GemmDtypes.INPUTS);
        for (DType dtype : listed) {
            if (!GemmDtypes.INPUTS.contains(dtype) && !ReportAllReduce.DTYPES.contains(dtype)) {
                throw new BadInputException("--dtype: " + dtype.cliName() + " is measured by no op of the report (fp32, fp16, bf16 "
                        + "and int8 for GEMM and conv2d; fp32, fp16, bf16 and int32 for all-reduce)");
            }
        }
        return listed.stream().filter(GemmDtypes.INPUTS::contains).toList();
    }

    /** oneDNN as the conv2d peer when it is here; else none, and a note says why. */
    private static Optional<Conv2dPeer> convPeer(OneDnnPeer onednn, List<String> notes) {
        if (!onednn.availability().available()) {
            notes.add("conv2d has no peer: " + onednn.availability().reason());
            return Optional.empty();
        }
        return Optional.of(new OneDnnConv2dPeer(onednn));
    }

    /** The backends to measure: those checked, or the reference alone (at a small size: an oracle, not a contender). */
    private static List<String> benchmarked(List<Backend> checked, List<String> notes) {
        List<String> names = checked.stream().map(Backend::name).filter(name -> !name.equals(ReferenceBackend.NAME)).toList();
        if (names.isEmpty()) {
            notes.add("only the reference backend was measured, at 128³: it is the oracle, not a contender");
            return List.of(ReferenceBackend.NAME);
        }
        if (names.size() < checked.size()) {
            notes.add("the reference backend was validated but not measured: it is the oracle, not a contender");
        }
        return names;
    }

    private static MemoryBandwidth bandwidth(ReportPlan plan, Machine machine, int processors, List<String> notes) {
        long bytes = plan.bandwidthBytes() > 0 ? plan.bandwidthBytes()
                : BandwidthProbe.arrayBytesFor(machine.cpu(), machine.memoryBytes());
        try {
            return new BandwidthProbe(bytes, processors, ReportPlan.BANDWIDTH_REPETITIONS).measure();
        } catch (RuntimeException | OutOfMemoryError e) {
            notes.add("memory bandwidth not measured: " + e);
            return null;
        }
    }

    private static List<Measurement> jmh(Path file) {
        try {
            return JmhResults.read(file);
        } catch (ResultsFormatException e) {
            throw new BadInputException("--jmh: " + e.getMessage());
        }
    }

    /** " (kernels4j 0.1.0)" from the jar's manifest; " (kernels4j development build)" when run from classes. */
    static String versionSuffix() {
        String version = ReportCommand.class.getPackage().getImplementationVersion();
        return " (kernels4j " + (version == null ? "development build" : version) + ")";
    }
}
