package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.bench.CallTimes;
import org.kernels4j.bench.GemmOperands;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.Timing;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.Shape;
import org.kernels4j.report.Units;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * Measures GEMM throughput per thread count × dtype × problem × backend, and OpenBLAS on the same
 * operands in the same run, with the same thread count, when the peer is wanted: the peer and the backends of a point are
 * timed interleaved call by call, and the ratio to the peer is the median of the ratios within a round. Used by
 * {@code k4j bench gemm} and {@code k4j report}. A backend that throws while being measured gets a
 * FAILED row with the exception's message, and the measurements go on with the next point.
 */
final class GemmBench {
    static final String OP = "gemm";
    static final double NO_CALL_LIMIT = Double.POSITIVE_INFINITY;
    private static final long SEED = 7;

    /** When the peer runs: never, when it is available, or always (its absence then is an error, exit 3). */
    enum PeerUse { NONE, IF_AVAILABLE, REQUIRED }

    /**
     * What to measure.
     *
     * @param backends         backend names ("auto" for dispatch's choice per spec)
     * @param listUnsupported  whether a backend that cannot run a spec gets a NOT_RUN row (with the reason)
     *                         or no row at all
     * @param callLimitSeconds a backend whose call of a point would take longer than this, going by the rate it
     *                         reached on an earlier point of the same dtype and thread count, skips the point (a NOT_RUN
     *                         row that says so); {@link #NO_CALL_LIMIT} for none
     */
    record Plan(List<String> backends, List<DType> dtypes, List<GemmProblem> problems, List<Integer> threads,
                PeerUse peer, GemmTimer timer, boolean listUnsupported, double callLimitSeconds) {
        Plan {
            if (!(callLimitSeconds > 0)) {
                throw new IllegalArgumentException("callLimitSeconds: " + callLimitSeconds + " is not positive");
            }
            backends = List.copyOf(backends);
            dtypes = List.copyOf(dtypes);
            problems = List.copyOf(problems);
            threads = List.copyOf(threads);
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(timer, "timer");
        }

        int points() {
            return threads.size() * dtypes.size() * problems.size();
        }
    }

    private GemmBench() {
    }

    static List<Measurement> run(Plan plan, Terminal terminal) {
        Progress progress = terminal.progress(plan.points());
        List<Measurement> rows = new ArrayList<>();
        for (int threads : plan.threads()) {
            OpenBlasPeer peer = plan.peer() == PeerUse.NONE ? null : OpenBlasPeer.open(threads);
            if (peer != null && !peer.availability().available()) {
                if (plan.peer() == PeerUse.REQUIRED) {
                    throw new BackendUnavailableException(OpenBlasPeer.NAME, peer.availability().reason());
                }
                peer = null;
            }
            Map<String, Rate> rates = new HashMap<>();
            try (Kernels kernels = Kernels.open(new BackendContext(threads))) {
                // Check every name before measuring, so that a misspelt or unavailable backend fails at once.
                plan.backends().stream().filter(name -> !BackendChoice.AUTO.equals(name))
                        .forEach(name -> BackendChoice.named(kernels, name));
                for (DType dtype : plan.dtypes()) {
                    for (GemmProblem problem : plan.problems()) {
                        progress.step(dtype.cliName() + " " + problem.label() + ", " + threads + (threads == 1 ? " thread" : " threads"));
                        GemmSpec spec = GemmSpec.builder().m(problem.shape().m()).n(problem.shape().n()).k(problem.shape().k())
                                .transA(problem.transA()).transB(problem.transB()).inputType(dtype).build();
                        rows.addAll(measure(plan, kernels, peer, problem, spec, threads, rates));
                    }
                }
            }
        }
        progress.finish();
        return rows;
    }

    /** A backend's rate on a point (of one dtype and thread count), from which the time of bigger calls is foreseen. */
    private record Rate(double perSecond, String label) {
    }

    /** A backend named by the plan, and whether it runs the point (the reason when not). */
    private record Candidate(Backend backend, Availability supported) {
    }

    /**
     * Times the peer and every backend that runs the point interleaved call by call (see {@link GemmTimer#timeInterleaved}),
     * so that each ratio compares calls made moments apart.
     */
    private static List<Measurement> measure(Plan plan, Kernels kernels, OpenBlasPeer peer, GemmProblem problem, GemmSpec spec,
                                             int threads, Map<String, Rate> rates) {
        List<Candidate> candidates = new ArrayList<>();
        for (String name : plan.backends()) {
            Backend backend = BackendChoice.AUTO.equals(name) ? kernels.select(spec) : BackendChoice.named(kernels, name);
            Availability supported = backend.supports(spec);
            if (supported.available() || plan.listUnsupported()) {
                candidates.add(new Candidate(backend, supported.available() ? withinCallLimit(plan, spec, rates.get(key(backend, spec))) : supported));
            }
        }
        boolean peerRuns = peer != null && peer.supports(spec).available();
        List<Backend> timed = new ArrayList<>();
        if (peerRuns) {
            timed.add(peer);
        }
        candidates.stream().filter(candidate -> candidate.supported().available()).map(Candidate::backend).forEach(timed::add);
        double work = spec.flops() * 1e-9;
        List<Measurement> rows = new ArrayList<>();
        try (GemmOperands operands = GemmOperands.create(spec, SEED)) {
            List<CallTimes> times = timed.isEmpty() ? List.of()
                    : plan.timer().timeInterleaved(timed.stream().map(backend -> GemmTimer.call(backend, spec, operands)).toList());
            CallTimes peerTimes = peerRuns ? times.getFirst() : null;
            Measurement.PeerResult peerResult = peerTimes == null || peerTimes.failed() ? null
                    : new Measurement.PeerResult(OpenBlasPeer.NAME + " " + peer.routine(spec), peerTimes.timing().medianRate(work),
                            peerTimes.timing().lowRate(work), peerTimes.timing().highRate(work));
            String peerFailure = peerTimes != null && peerTimes.failed()
                    ? OpenBlasPeer.NAME + " " + peer.routine(spec) + " failed: " + TimedCall.of(peerTimes).failure() : "";
            int next = peerRuns ? 1 : 0;
            for (Candidate candidate : candidates) {
                CallTimes ours = candidate.supported().available() ? times.get(next++) : null;
                if (ours != null && !ours.failed()) {
                    rates.put(key(candidate.backend(), spec), new Rate(ours.timing().medianRate(work), problem.label()));
                }
                Double ratio = ours == null || ours.failed() || peerResult == null ? null : ours.medianSpeedRatioOver(peerTimes);
                rows.add(row(problem, spec, threads, candidate.backend(), candidate.supported(), ours == null ? null : TimedCall.of(ours),
                        peerResult, ratio, peerFailure));
            }
        }
        return rows;
    }

    private static String key(Backend backend, GemmSpec spec) {
        return backend.name() + " " + spec.inputType();
    }

    /** Yes, or no when the backend's rate on an earlier point foresees a call of this one longer than the plan allows. */
    private static Availability withinCallLimit(Plan plan, GemmSpec spec, Rate known) {
        double foreseen = known == null ? 0 : spec.flops() * 1e-9 / known.perSecond();
        if (foreseen > plan.callLimitSeconds()) {
            return Availability.no(String.format(Locale.ROOT, "skipped: about %.0f s per call at the %s %s reached on %s "
                    + "(this run limits a call to %.0f s)", foreseen, Units.number(known.perSecond()), unit(spec.inputType()),
                    known.label(), plan.callLimitSeconds()));
        }
        return Availability.yes();
    }

    private static Measurement row(GemmProblem problem, GemmSpec spec, int threads, Backend backend, Availability supported,
                                   TimedCall ours, Measurement.PeerResult peer, Double peerRatio, String peerFailure) {
        double work = spec.flops() * 1e-9;
        String status = !supported.available() ? Measurement.NOT_RUN
                : ours.timing() == null ? Measurement.FAILED : Measurement.OK;
        String message = switch (status) {
            case Measurement.NOT_RUN -> supported.reason();
            case Measurement.FAILED -> ours.failure();
            default -> peerFailure;
        };
        Timing timing = ours == null ? null : ours.timing();
        Double median = timing == null ? null : timing.medianRate(work);
        return new Measurement(OP, backend.name(), backend.device().name(), backend.device().kind().name(),
                Measurement.SOURCE_K4J, spec.inputType().cliName(), spec.outputType().cliName(), shape(problem), threads,
                unit(spec.inputType()), work, bytes(spec), status, message,
                timing == null ? 0 : timing.runs(), timing == null ? null : timing.median(), median,
                timing == null ? null : timing.lowRate(work), timing == null ? null : timing.highRate(work),
                peer, peerRatio, null);
    }

    static String unit(DType inputType) {
        return inputType == DType.INT8 ? "GOP/s" : "GFLOP/s";
    }

    static Shape shape(GemmProblem problem) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("m", problem.shape().m());
        parameters.put("n", problem.shape().n());
        parameters.put("k", problem.shape().k());
        parameters.put("transA", problem.transA());
        parameters.put("transB", problem.transB());
        return new Shape(problem.name(), problem.label(), parameters);
    }

    /** Least traffic of one call with beta = 0: A and B read once, C written once. */
    static double bytes(GemmSpec spec) {
        return (double) (spec.m() * spec.k() + spec.k() * spec.n()) * spec.inputType().byteSize()
                + (double) spec.m() * spec.n() * spec.outputType().byteSize();
    }
}
