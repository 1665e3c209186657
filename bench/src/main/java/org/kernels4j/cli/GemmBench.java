package org.kernels4j.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.bench.GemmOperands;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.Timing;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * Measures GEMM throughput per thread count × dtype × shape × backend, and OpenBLAS on the same
 * operands in the same run, with the same thread count, when the peer is wanted. Used by
 * {@code k4j bench gemm} and {@code k4j report}.
 */
final class GemmBench {
    private static final long SEED = 7;

    /** When the peer runs: never, when it is available, or always (its absence then is an error, exit 3). */
    enum PeerUse { NONE, IF_AVAILABLE, REQUIRED }

    /**
     * What to measure.
     *
     * @param backends         backend names ("auto" for dispatch's choice per spec)
     * @param listUnsupported  whether a backend that cannot run a spec gets a "not run" row (with the reason)
     *                         or no row at all
     */
    record Plan(List<String> backends, List<DType> dtypes, List<GemmShape> shapes, List<Integer> threads,
                boolean transA, boolean transB, PeerUse peer, GemmTimer timer, boolean listUnsupported) {
        Plan {
            backends = List.copyOf(backends);
            dtypes = List.copyOf(dtypes);
            shapes = List.copyOf(shapes);
            threads = List.copyOf(threads);
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(timer, "timer");
        }
    }

    /**
     * One measurement (or why there is none).
     *
     * @param ours        our timing, null when the backend does not support the spec
     * @param note        why {@code ours} is null; "" otherwise
     * @param peerRoutine the peer routine timed, null when none
     * @param peer        the peer's timing, null when none
     */
    record Row(GemmSpec spec, int threads, String backend, String device, Timing ours, String note,
               String peerRoutine, Timing peer) {
        double work() {
            return spec.flops() * 1e-9;
        }

        String unit() {
            return spec.inputType() == DType.INT8 ? "GOP/s" : "GFLOP/s";
        }

        String shape() {
            return spec.m() + "×" + spec.n() + "×" + spec.k() + (spec.transA() || spec.transB()
                    ? " " + (spec.transA() ? "T" : "N") + (spec.transB() ? "T" : "N") : "");
        }

        double ratioToPeer() {
            return ours == null || peer == null ? Double.NaN : ours.medianRate(work()) / peer.medianRate(work());
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("op", "gemm");
            json.put("backend", backend);
            json.put("device", device);
            json.put("inputDtype", spec.inputType().cliName());
            json.put("outputDtype", spec.outputType().cliName());
            json.put("m", spec.m());
            json.put("n", spec.n());
            json.put("k", spec.k());
            json.put("transA", spec.transA());
            json.put("transB", spec.transB());
            json.put("threads", threads);
            json.put("unit", unit());
            json.put("ours", ours == null ? null : timingJson(ours, work()));
            json.put("note", note);
            if (peer != null) {
                Map<String, Object> peerJson = timingJson(peer, work());
                peerJson.put("name", OpenBlasPeer.NAME + " " + peerRoutine);
                json.put("peer", peerJson);
                json.put("ratioToPeer", ratioToPeer());
            }
            return json;
        }

        private static Map<String, Object> timingJson(Timing timing, double work) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runs", timing.runs());
            json.put("medianSeconds", timing.median());
            json.put("median", timing.medianRate(work));
            json.put("low", timing.lowRate(work));
            json.put("high", timing.highRate(work));
            return json;
        }
    }

    private GemmBench() {
    }

    static List<Row> run(Plan plan, Terminal terminal) {
        Progress progress = terminal.progress(plan.threads().size() * plan.dtypes().size() * plan.shapes().size());
        List<Row> rows = new ArrayList<>();
        for (int threads : plan.threads()) {
            OpenBlasPeer peer = plan.peer() == PeerUse.NONE ? null : OpenBlasPeer.open(threads);
            if (peer != null && !peer.availability().available()) {
                if (plan.peer() == PeerUse.REQUIRED) {
                    throw new BackendUnavailableException(OpenBlasPeer.NAME, peer.availability().reason());
                }
                peer = null;
            }
            try (Kernels kernels = Kernels.open(new BackendContext(threads))) {
                // Check every name before measuring, so that a misspelt or unavailable backend fails at once.
                plan.backends().stream().filter(name -> !BackendChoice.AUTO.equals(name))
                        .forEach(name -> BackendChoice.named(kernels, name));
                for (DType dtype : plan.dtypes()) {
                    for (GemmShape shape : plan.shapes()) {
                        progress.step(dtype.cliName() + " " + shape + " " + threads + (threads == 1 ? " thread" : " threads"));
                        GemmSpec spec = GemmSpec.builder().m(shape.m()).n(shape.n()).k(shape.k())
                                .transA(plan.transA()).transB(plan.transB()).inputType(dtype).build();
                        rows.addAll(measure(plan, kernels, peer, spec, threads));
                    }
                }
            }
        }
        progress.finish();
        return rows;
    }

    private static List<Row> measure(Plan plan, Kernels kernels, OpenBlasPeer peer, GemmSpec spec, int threads) {
        List<Row> rows = new ArrayList<>();
        try (GemmOperands operands = GemmOperands.create(spec, SEED)) {
            Timing peerTiming = null;
            String peerRoutine = null;
            if (peer != null && peer.supports(spec).available()) {
                peerRoutine = peer.routine(spec);
                peerTiming = plan.timer().time(peer, spec, operands);
            }
            for (String name : plan.backends()) {
                Backend backend = BackendChoice.AUTO.equals(name) ? kernels.select(spec) : BackendChoice.named(kernels, name);
                Availability supported = backend.supports(spec);
                if (!supported.available() && !plan.listUnsupported()) {
                    continue;
                }
                Timing ours = supported.available() ? plan.timer().time(backend, spec, operands) : null;
                rows.add(new Row(spec, threads, backend.name(), backend.device().name(), ours,
                        supported.available() ? "" : supported.reason(), peerRoutine, peerTiming));
            }
        }
        return rows;
    }

    static String table(List<Row> rows) {
        TextTable table = new TextTable("dtype", "m×n×k", "threads", "backend", "median", "spread (min–max)",
                "peer", "peer median", "ratio").numeric(2, 4, 5, 7, 8);
        for (Row row : rows) {
            double work = row.work();
            String dtypes = row.spec().inputType().cliName() + "→" + row.spec().outputType().cliName();
            String ours = row.ours() == null ? "not run: " + row.note() : rate(row.ours().medianRate(work), row.unit());
            String spread = row.ours() == null ? "" : number(row.ours().lowRate(work)) + "–" + number(row.ours().highRate(work));
            String peer = row.peer() == null ? "-" : OpenBlasPeer.NAME + " " + row.peerRoutine();
            String peerRate = row.peer() == null ? "-" : rate(row.peer().medianRate(work), row.unit());
            double ratio = row.ratioToPeer();
            table.row(dtypes, row.shape(), Integer.toString(row.threads()), row.backend(), ours, spread, peer, peerRate,
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f×", ratio));
        }
        return table.render();
    }

    private static String rate(double value, String unit) {
        return number(value) + " " + unit;
    }

    /** Three significant digits, without an exponent for the rates GEMM reaches (0.001 to 10^5). */
    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : new BigDecimal(value).round(new MathContext(3)).toPlainString();
    }
}
