package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Layout;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.Timing;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.report.ConvShapes;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.Shape;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/**
 * Measures convolution throughput per dtype × batch × layer of a set, and oneDNN on the same operands in the same run,
 * with the same thread count, when the peer is wanted; then, per dtype × batch, the whole set: its layers' work
 * weighted by how often each occurs in the network, over their median times weighted the same way (a network's
 * convolution throughput). A backend that throws on a layer gets a FAILED row with the message, the set's total is
 * then left out, and the measurements go on. Used by {@code k4j bench conv2d}.
 */
final class Conv2dBench {
    static final String OP = "conv2d";
    private static final long SEED = 11;

    /**
     * What to measure.
     *
     * @param backend  backend name ("auto" for dispatch's choice per spec)
     * @param setName  the layer set's name in the total's label ("resnet50")
     * @param batches  batch sizes; empty: each layer's own batch (a DeepBench layer's N)
     */
    record Plan(String backend, List<DType> dtypes, String setName, List<ConvLayer> layers, List<Integer> batches, Layout layout,
                int threads, GemmBench.PeerUse peer, GemmTimer timer) {
        Plan {
            Objects.requireNonNull(backend, "backend");
            dtypes = List.copyOf(dtypes);
            Objects.requireNonNull(setName, "setName");
            layers = List.copyOf(layers);
            batches = List.copyOf(batches);
            Objects.requireNonNull(layout, "layout");
            if (threads < 1) {
                throw new IllegalArgumentException("threads: " + threads + " is less than 1");
            }
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(timer, "timer");
            if (batches.isEmpty() && layers.stream().anyMatch(layer -> layer.batch().isEmpty())) {
                throw new IllegalArgumentException("batches: none given, and a layer has no batch of its own");
            }
        }

        /** Each batch to measure the set at; empty means each layer's own. */
        List<OptionalInt> batchChoices() {
            return batches.isEmpty() ? List.of(OptionalInt.empty()) : batches.stream().map(OptionalInt::of).toList();
        }

        int points() {
            return dtypes.size() * batchChoices().size() * layers.size();
        }
    }

    private Conv2dBench() {
    }

    static List<Measurement> run(Plan plan, Terminal terminal) {
        Progress progress = terminal.progress(plan.points());
        List<Measurement> rows = new ArrayList<>();
        try (Kernels kernels = Kernels.open(new BackendContext(plan.threads())); OneDnnPeer onednn = openPeer(plan)) {
            Optional<Conv2dPeer> peer = Optional.ofNullable(onednn).map(OneDnnConv2dPeer::new);
            if (!BackendChoice.AUTO.equals(plan.backend())) {
                BackendChoice.named(kernels, plan.backend());
            }
            for (DType dtype : plan.dtypes()) {
                for (OptionalInt batch : plan.batchChoices()) {
                    List<Measurement> layerRows = new ArrayList<>();
                    for (ConvLayer layer : plan.layers()) {
                        int n = batch.orElseGet(() -> layer.batch().orElseThrow());
                        progress.step(dtype.cliName() + " " + layer.name() + " N" + n);
                        Conv2dSpec spec = layer.spec(n, plan.layout(), dtype);
                        Backend backend = BackendChoice.AUTO.equals(plan.backend()) ? kernels.select(spec)
                                : BackendChoice.named(kernels, plan.backend());
                        layerRows.add(measure(plan, backend, peer, layer, spec));
                    }
                    rows.addAll(layerRows);
                    total(plan, batch, layerRows).ifPresent(rows::add);
                }
            }
        }
        progress.finish();
        return rows;
    }

    private static OneDnnPeer openPeer(Plan plan) {
        if (plan.peer() == GemmBench.PeerUse.NONE) {
            return null;
        }
        OneDnnPeer peer = OneDnnPeer.open(plan.threads());
        if (!peer.availability().available()) {
            peer.close();
            if (plan.peer() == GemmBench.PeerUse.REQUIRED) {
                throw new BackendUnavailableException(OneDnnPeer.NAME, peer.availability().reason());
            }
            return null;
        }
        return peer;
    }

    private static Measurement measure(Plan plan, Backend backend, Optional<Conv2dPeer> peer, ConvLayer layer, Conv2dSpec spec) {
        double work = spec.flops() * 1e-9;
        try (ConvOperands operands = ConvOperands.create(spec, SEED)) {
            Conv2dPeer.Outcome peerRun = peer.map(library -> library.time(spec, operands, plan.timer())).orElse(Conv2dPeer.Outcome.NONE);
            Availability supported = backend.supports(spec);
            TimedCall ours = supported.available()
                    ? TimedCall.of(() -> plan.timer().time(() -> backend.conv2d(spec, operands.x(), operands.w(), operands.bias(), operands.y())))
                    : null;
            String status = !supported.available() ? Measurement.NOT_RUN : ours.timing() == null ? Measurement.FAILED : Measurement.OK;
            String message = switch (status) {
                case Measurement.NOT_RUN -> supported.reason();
                case Measurement.FAILED -> ours.failure();
                default -> peerRun.note();
            };
            Timing timing = ours == null ? null : ours.timing();
            Double median = timing == null ? null : timing.medianRate(work);
            return new Measurement(OP, backend.name(), backend.device().name(), backend.device().kind().name(),
                    Measurement.SOURCE_K4J, spec.inputType().cliName(), spec.outputType().cliName(),
                    layerShape(layer, spec), plan.threads(), GemmBench.unit(spec.inputType()), work, ConvShapes.leastTraffic(spec),
                    status, message,
                    timing == null ? 0 : timing.runs(), timing == null ? null : timing.median(), median,
                    timing == null ? null : timing.lowRate(work), timing == null ? null : timing.highRate(work),
                    peerRun.result(), median == null || peerRun.result() == null ? null : median / peerRun.result().median(), null);
        }
    }

    /**
     * The set's total for one dtype and batch: the work of every convolution in the network (a layer counts as often as
     * it occurs) over the time they take at their median (slowest and fastest runs for the spread); the peer's the same
     * way when it ran every layer. None when a layer did not run.
     */
    private static Optional<Measurement> total(Plan plan, OptionalInt batch, List<Measurement> rows) {
        if (rows.isEmpty() || rows.stream().anyMatch(row -> !row.ok())) {
            return Optional.empty();
        }
        double work = 0;
        double medianSeconds = 0;
        double slowestSeconds = 0;
        double fastestSeconds = 0;
        double peerMedianSeconds = 0;
        double peerSlowestSeconds = 0;
        double peerFastestSeconds = 0;
        boolean peerEverywhere = true;
        int convolutions = 0;
        for (int i = 0; i < rows.size(); i++) {
            Measurement row = rows.get(i);
            int count = plan.layers().get(i).count();
            double layerWork = count * row.workPerCall();
            convolutions += count;
            work += layerWork;
            medianSeconds += layerWork / row.median();
            slowestSeconds += layerWork / row.low();
            fastestSeconds += layerWork / row.high();
            Measurement.PeerResult peer = row.peer();
            if (peer == null || peer.low() == null || peer.high() == null) {
                peerEverywhere = false;
            } else {
                peerMedianSeconds += layerWork / peer.median();
                peerSlowestSeconds += layerWork / peer.low();
                peerFastestSeconds += layerWork / peer.high();
            }
        }
        Measurement first = rows.getFirst();
        Measurement.PeerResult peer = peerEverywhere
                ? new Measurement.PeerResult(OneDnnPeer.NAME, work / peerMedianSeconds, work / peerSlowestSeconds, work / peerFastestSeconds)
                : null;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("set", plan.setName());
        parameters.put("convolutions", convolutions);
        batch.ifPresent(n -> parameters.put("n", n));
        parameters.put("layout", plan.layout().cliName());
        String label = "Σ " + plan.setName() + " (" + convolutions + " convs) " + (batch.isPresent() ? "N" + batch.getAsInt() : "own N")
                + " " + plan.layout().cliName();
        boolean sameBackend = rows.stream().allMatch(row -> row.backend().equals(first.backend()));
        return Optional.of(new Measurement(OP, sameBackend ? first.backend() : BackendChoice.AUTO, first.device(),
                first.deviceKind(), Measurement.SOURCE_K4J, first.dtype(), first.outputDtype(),
                new Shape("total_" + plan.setName(), label, parameters), plan.threads(), first.unit(), work, null, Measurement.OK, "",
                first.runs(), medianSeconds, work / medianSeconds, work / slowestSeconds, work / fastestSeconds, peer,
                peer == null ? null : (work / medianSeconds) / peer.median(), null));
    }

    private static Shape layerShape(ConvLayer layer, Conv2dSpec spec) {
        Map<String, Object> parameters = ConvShapes.extents(spec);
        parameters.put("strideH", spec.strideH());
        parameters.put("strideW", spec.strideW());
        parameters.put("padH", layer.padH());
        parameters.put("padW", layer.padW());
        parameters.put("dilation", layer.dilation());
        parameters.put("groups", spec.groups());
        parameters.put("layout", spec.layout().cliName());
        parameters.put("count", layer.count());
        return new Shape(layer.name(), layer.name() + " N" + spec.n() + " " + spec.layout().cliName(), parameters);
    }
}
