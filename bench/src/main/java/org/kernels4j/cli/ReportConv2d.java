package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.Timing;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.report.ConvShapes;
import org.kernels4j.report.Measurement;
import org.kernels4j.spi.Backend;

/**
 * The convolution part of {@code k4j report}: each backend × dtype × ResNet-50 layer timed with {@link GemmTimer}
 * (warm-up until settled, then the measured calls) through {@link Backend#conv2d}, in GFLOP/s (GOP/s for INT8, counting
 * 2·N·K·C/g·R·S·P·Q operations), with the least traffic for the roofline. A {@link Conv2dPeer}, when one is given,
 * runs on the same operands in the same run and fills the peer columns. A backend that throws gets a FAILED row and
 * the rest goes on; a backend without convolutions (or without this dtype) gets no row.
 */
final class ReportConv2d {
    static final String OP = Conv2dBench.OP;
    private static final long SEED = 11;

    /**
     * What to measure.
     *
     * @param layers the layers
     * @param batch  images per call (N)
     * @param layout NCHW or NHWC
     * @param timer  warm-up and measured calls per point
     */
    record Plan(List<ConvLayer> layers, long batch, Layout layout, GemmTimer timer) {
        Plan {
            layers = List.copyOf(layers);
            if (batch < 1) {
                throw new IllegalArgumentException("batch: " + batch + " is less than 1");
            }
            Objects.requireNonNull(layout, "layout");
            Objects.requireNonNull(timer, "timer");
        }
    }

    private ReportConv2d() {
    }

    static List<Measurement> run(Plan plan, List<Backend> backends, List<DType> dtypes, int threads, Optional<Conv2dPeer> peer,
                                 Terminal terminal) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(dtypes, "dtypes");
        Objects.requireNonNull(peer, "peer");
        Progress progress = terminal.progress(dtypes.size() * plan.layers().size());
        List<Measurement> rows = new ArrayList<>();
        for (DType dtype : dtypes) {
            for (ConvLayer layer : plan.layers()) {
                progress.step(OP + " " + dtype.cliName() + " " + layer.name());
                Conv2dSpec spec = layer.spec(plan.batch(), plan.layout(), dtype);
                List<Backend> running = backends.stream().filter(b -> b.supports(spec).available()).toList();
                if (!running.isEmpty()) {
                    rows.addAll(measure(plan, layer, spec, running, threads, peer));
                }
            }
        }
        progress.finish();
        return rows;
    }

    private static List<Measurement> measure(Plan plan, ConvLayer layer, Conv2dSpec spec, List<Backend> backends,
                                             int threads, Optional<Conv2dPeer> peer) {
        try (ConvOperands operands = ConvOperands.create(spec, SEED)) {
            Conv2dPeer.Outcome peerRun = peer.map(library -> library.time(spec, operands, plan.timer())).orElse(Conv2dPeer.Outcome.NONE);
            List<Measurement> rows = new ArrayList<>();
            for (Backend backend : backends) {
                TimedCall ours = TimedCall.of(() -> plan.timer().time(() -> backend.conv2d(spec, operands.x(), operands.w(),
                        operands.bias(), operands.y())));
                rows.add(row(layer, spec, threads, backend, ours, peerRun.result(), peerRun.note()));
            }
            return rows;
        }
    }

    private static Measurement row(ConvLayer layer, Conv2dSpec spec, int threads, Backend backend,
                                   TimedCall ours, Measurement.PeerResult peer, String peerNote) {
        double work = spec.flops() * 1e-9;
        Timing timing = ours.timing();
        Double median = timing == null ? null : timing.medianRate(work);
        return new Measurement(OP, backend.name(), backend.device().name(), backend.device().kind().name(), Measurement.SOURCE_K4J,
                spec.inputType().cliName(), spec.outputType().cliName(), ConvShapes.layer(layer.name(), spec), threads,
                GemmBench.unit(spec.inputType()), work, ConvShapes.leastTraffic(spec), timing == null ? Measurement.FAILED : Measurement.OK,
                timing == null ? ours.failure() : peerNote, timing == null ? 0 : timing.runs(),
                timing == null ? null : timing.median(), median, timing == null ? null : timing.lowRate(work),
                timing == null ? null : timing.highRate(work), peer, median == null || peer == null ? null : median / peer.median(),
                null);
    }
}
