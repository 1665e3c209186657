package org.kernels4j.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of one report, per op: throughput per shape for each dtype (backends and peers side by side), the
 * speed-up of each dtype over FP32 per backend, the roofline (arithmetic intensity against the achieved rate,
 * with the estimated compute roof of each dtype and the measured bandwidth roof, log-log), and the ratios to
 * the peer. Only successful measurements are drawn; a plot with nothing to draw is left out.
 */
public final class ReportPlots {
    /** The shape parameter of ops measured over message sizes (collectives): bytes per rank. */
    static final String BYTES = "bytes";

    private ReportPlots() {
    }

    public static List<Plot> build(Results results) {
        Objects.requireNonNull(results, "results");
        List<Plot> plots = new ArrayList<>();
        Map<String, List<Measurement>> byOp = results.measurements().stream().filter(Measurement::ok)
                .collect(Collectors.groupingBy(Measurement::op, LinkedHashMap::new, Collectors.toList()));
        byOp.forEach((op, rows) -> {
            boolean sizeSweep = rows.stream().allMatch(m -> m.shape().parameters().get(BYTES) instanceof Long);
            rows.stream().map(Measurement::dtype).distinct().forEach(dtype -> {
                List<Measurement> ofDtype = rows.stream().filter(m -> m.dtype().equals(dtype)).toList();
                plots.add(sizeSweep ? rateBySize(op, dtype, ofDtype) : throughput(op, dtype, ofDtype));
            });
            speedUp(op, rows).ifPresent(plots::add);
            roofline(op, rows, results).ifPresent(plots::add);
            peerRatios(op, rows).ifPresent(plots::add);
        });
        return plots;
    }

    private static Plot throughput(String op, String dtype, List<Measurement> rows) {
        List<String> shapes = shapesBySize(rows);
        boolean severalThreadCounts = rows.stream().map(Measurement::threads).distinct().count() > 1;
        String unit = rows.getFirst().unit();
        CategoryChart chart = Charts.bars(op.toUpperCase(Locale.ROOT) + " " + dtype.toUpperCase(Locale.ROOT)
                + " throughput by shape", "shape (ordered by work per call)", unit);
        List<String> backends = rows.stream().map(Measurement::backend).distinct().toList();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        Map<String, Color> colors = new LinkedHashMap<>();
        for (Measurement m : rows) {
            String threads = severalThreadCounts ? ", " + m.threads() + (m.threads() == 1 ? " thread" : " threads") : "";
            String ours = m.backend() + sourceSuffix(m) + threads;
            series.computeIfAbsent(ours, k -> new LinkedHashMap<>()).put(m.shape().label(), m.median());
            colors.putIfAbsent(ours, Charts.color(backends.indexOf(m.backend())));
            if (m.peer() != null) {
                String peer = m.peer().name() + threads;
                series.computeIfAbsent(peer, k -> new LinkedHashMap<>()).put(m.shape().label(), m.peer().median());
                colors.putIfAbsent(peer, Charts.PEER);
            }
        }
        series.forEach((name, values) -> chart.addSeries(name, shapes, shapes.stream().map(values::get).toList())
                .setFillColor(colors.get(name)));
        return new Plot("throughput-" + op + "-" + dtype + ".png", op.toUpperCase(Locale.ROOT) + " " + dtype + " throughput",
                "Median " + unit + " per shape, smallest work per call first; peers measured in the same run on the same operands.",
                Charts.png(chart));
    }

    /** Rate against message size, log-log, one line per backend and per peer: the nccl-tests busbw curve. */
    private static Plot rateBySize(String op, String dtype, List<Measurement> rows) {
        String unit = rows.getFirst().unit();
        XYChart chart = Charts.xy(op.toUpperCase(Locale.ROOT) + " " + dtype.toUpperCase(Locale.ROOT) + " bus bandwidth by size",
                "size per rank (bytes)", unit + " (bus bandwidth)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        List<String> backends = rows.stream().map(Measurement::backend).distinct().toList();
        Map<String, List<Measurement>> ours = rows.stream().collect(Collectors.groupingBy(Measurement::backend, LinkedHashMap::new,
                Collectors.toList()));
        ours.forEach((backend, group) -> line(chart, backend + " (" + group.getFirst().threads() + " ranks)", group, Measurement::median,
                Charts.color(backends.indexOf(backend))));
        Map<String, List<Measurement>> peers = rows.stream().filter(m -> m.peer() != null).collect(Collectors.groupingBy(
                m -> m.peer().name() + " (beside " + m.backend() + ")", LinkedHashMap::new, Collectors.toList()));
        peers.forEach((peer, group) -> line(chart, peer, group, m -> m.peer().median(), Charts.PEER)
                .setLineStyle(SeriesLines.DASH_DASH));
        return new Plot("busbw-" + op + "-" + dtype + ".png", op.toUpperCase(Locale.ROOT) + " " + dtype + " bus bandwidth by size",
                "Median bus bandwidth per message size (log-log): size / time × 2(n−1)/n for n ranks, the slowest rank's time; "
                        + "dashed: the peer measured alternately with ours in the same job.", Charts.png(chart));
    }

    private static XYSeries line(XYChart chart, String name, List<Measurement> group, ToDoubleFunction<Measurement> rate, Color color) {
        List<Measurement> sorted = group.stream().filter(m -> rate.applyAsDouble(m) > 0)
                .sorted(Comparator.comparingLong(m -> (Long) m.shape().parameters().get(BYTES))).toList();
        XYSeries series = chart.addSeries(name, sorted.stream().mapToDouble(m -> (Long) m.shape().parameters().get(BYTES)).toArray(),
                sorted.stream().mapToDouble(rate).toArray());
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE);
        series.setLineColor(color);
        series.setMarkerColor(color);
        return series;
    }

    private static Optional<Plot> speedUp(String op, List<Measurement> rows) {
        int threads = maxThreads(rows);
        Map<String, Map<String, Double>> gains = DtypeGains.of(rows.stream().filter(m -> m.threads() == threads).toList());
        if (gains.isEmpty()) {
            return Optional.empty();
        }
        List<String> backends = List.copyOf(gains.keySet());
        Set<String> dtypes = new LinkedHashSet<>();
        gains.values().forEach(g -> dtypes.addAll(g.keySet()));
        CategoryChart chart = Charts.bars(op.toUpperCase(Locale.ROOT) + " speed-up over FP32 (" + threads
                + (threads == 1 ? " thread)" : " threads)"), "backend", "× FP32 rate (geometric mean over shapes)");
        for (String dtype : dtypes) {
            chart.addSeries(dtype, backends, backends.stream().map(b -> gains.get(b).get(dtype)).toList())
                    .setFillColor(Charts.dtypeColor(dtype));
        }
        return Optional.of(new Plot("speedup-" + op + ".png", op.toUpperCase(Locale.ROOT) + " dtype speed-up over FP32",
                "For each backend, the rate of each dtype divided by the FP32 rate on the same shape, geometric mean over the shapes "
                        + "both ran; 1 means no gain.", Charts.png(chart)));
    }

    private static Optional<Plot> roofline(String op, List<Measurement> rows, Results results) {
        int threads = maxThreads(rows);
        List<Measurement> points = rows.stream().filter(m -> m.threads() == threads && Double.isFinite(m.arithmeticIntensity())
                && m.median() > 0).toList();
        if (points.isEmpty()) {
            return Optional.empty();
        }
        double xMin = points.stream().mapToDouble(Measurement::arithmeticIntensity).min().orElseThrow() / 2;
        double xMax = points.stream().mapToDouble(Measurement::arithmeticIntensity).max().orElseThrow() * 2;
        XYChart chart = Charts.xy(op.toUpperCase(Locale.ROOT) + " roofline (" + threads + (threads == 1 ? " thread)" : " threads)"),
                "arithmetic intensity (operations per byte of least traffic)", "GFLOP/s (GOP/s for INT8)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        List<String> backends = points.stream().map(Measurement::backend).distinct().toList();
        // One dashed line per distinct roof: dtypes with the same estimated peak share a line and a legend entry.
        Map<Double, List<String>> roofs = new LinkedHashMap<>();
        for (String dtype : points.stream().map(Measurement::dtype).distinct().toList()) {
            PeakShares.peakFor(points.stream().filter(m -> m.dtype().equals(dtype)).findFirst().orElseThrow(), results.peaks())
                    .ifPresent(peak -> roofs.computeIfAbsent(peak.forThreads(threads), k -> new ArrayList<>()).add(dtype));
        }
        roofs.forEach((roof, dtypes) -> {
            XYSeries line = chart.addSeries(String.join(", ", dtypes) + " peak (estimate)", new double[] {xMin, xMax},
                    new double[] {roof, roof});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                    .setLineStyle(SeriesLines.DASH_DASH).setLineColor(Charts.dtypeColor(dtypes.getFirst()));
        });
        double roofTop = roofs.keySet().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        MemoryBandwidth bandwidth = results.memoryBandwidth();
        if (bandwidth != null && roofTop > 0) {
            double ridge = roofTop / bandwidth.bestGBs();
            XYSeries line = chart.addSeries("memory bandwidth " + Units.number(bandwidth.bestGBs()) + " GB/s (measured)",
                    new double[] {xMin, Math.max(xMin * 1.01, Math.min(ridge, xMax))},
                    new double[] {bandwidth.bestGBs() * xMin, bandwidth.bestGBs() * Math.max(xMin * 1.01, Math.min(ridge, xMax))});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                    .setLineStyle(SeriesLines.SOLID).setLineColor(Charts.PEER);
        }
        Map<String, List<Measurement>> groups = points.stream().collect(Collectors.groupingBy(
                m -> m.backend() + sourceSuffix(m) + " " + m.dtype(), LinkedHashMap::new, Collectors.toList()));
        groups.forEach((name, group) -> {
            XYSeries series = chart.addSeries(name, group.stream().mapToDouble(Measurement::arithmeticIntensity).toArray(),
                    group.stream().mapToDouble(Measurement::median).toArray());
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                    .setMarker(Charts.marker(backends.indexOf(group.getFirst().backend())))
                    .setMarkerColor(Charts.dtypeColor(group.getFirst().dtype()));
        });
        return Optional.of(new Plot("roofline-" + op + ".png", op.toUpperCase(Locale.ROOT) + " roofline",
                "Each point is one backend × dtype × shape: operations per byte of least memory traffic (operands read once, "
                        + "output written once) against the achieved rate. Dashed: each dtype's estimated compute peak; solid: "
                        + "the measured memory bandwidth (a point under it is memory-bound).", Charts.png(chart)));
    }

    private static Optional<Plot> peerRatios(String op, List<Measurement> rows) {
        List<Measurement> compared = rows.stream().filter(m -> m.peerRatio() != null).toList();
        if (compared.isEmpty()) {
            return Optional.empty();
        }
        List<String> shapes = shapesBySize(compared);
        boolean severalThreadCounts = compared.stream().map(Measurement::threads).distinct().count() > 1;
        CategoryChart chart = Charts.bars(op.toUpperCase(Locale.ROOT) + " rate relative to the peer", "shape",
                "ours / peer (1 = parity)");
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Measurement m : compared) {
            String name = m.backend() + sourceSuffix(m) + " " + m.dtype() + " vs " + m.peer().name()
                    + (severalThreadCounts ? ", " + m.threads() + (m.threads() == 1 ? " thread" : " threads") : "");
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(m.shape().label(), m.peerRatio());
        }
        series.forEach((name, values) -> chart.addSeries(name, shapes, shapes.stream().map(values::get).toList()));
        return Optional.of(new Plot("peers-" + op + ".png", op.toUpperCase(Locale.ROOT) + " ratio to the peer",
                "Our median rate divided by the peer's on the same operands, threads and run; above 1 we are faster.", Charts.png(chart)));
    }

    /** Shape labels ordered by work per call, then by label. */
    static List<String> shapesBySize(List<Measurement> rows) {
        return rows.stream().sorted(Comparator.comparingDouble(Measurement::workPerCall).thenComparing(m -> m.shape().label()))
                .map(m -> m.shape().label()).distinct().toList();
    }

    private static int maxThreads(List<Measurement> rows) {
        return rows.stream().mapToInt(Measurement::threads).max().orElse(1);
    }

    private static String sourceSuffix(Measurement m) {
        return m.source().equals(Measurement.SOURCE_K4J) ? "" : " (" + m.source() + ")";
    }
}
