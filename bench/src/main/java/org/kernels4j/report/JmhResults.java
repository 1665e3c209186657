package org.kernels4j.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.kernels4j.DType;
import org.kernels4j.bench.jmh.ConvBenchmark;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;

/**
 * Turns a JMH JSON result file ({@code -rf json}) of {@code GemmBenchmark} and {@code ConvBenchmark} into measurement
 * rows (source "jmh") shaped like the report's own gemm and conv2d rows: the rate is the secondary metric
 * {@code gigaOps} (GFLOP/s, GOP/s for INT8), its median the 50th percentile over the iterations and its spread the
 * slowest and fastest iterations. The implementation becomes the backend; the suite's peer implementation
 * ({@code openblas}, {@code onednn}) with the same other parameters is the peer of the others. Results of other
 * benchmarks are left out.
 */
public final class JmhResults {
    private static final String METRIC = "gigaOps";

    private JmhResults() {
    }

    public static List<Measurement> read(Path file) throws ResultsFormatException {
        Objects.requireNonNull(file, "file");
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ResultsFormatException(file + ": no such file");
        } catch (JacksonException e) {
            throw new ResultsFormatException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ResultsFormatException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (tree == null || !tree.isArray()) {
            throw new ResultsFormatException(file + ": not a JMH JSON result file (expected an array of benchmark results)");
        }
        Map<List<String>, Result> rows = new LinkedHashMap<>();
        for (JsonNode result : tree) {
            Optional<Suite> suite = Suite.of(result.path("benchmark").asText());
            if (suite.isPresent() && result.path("secondaryMetrics").path(METRIC).isObject()) {
                JsonNode params = result.path("params");
                rows.put(suite.get().key(params.path("implementation").asText(), params), new Result(suite.get(), result));
            }
        }
        if (rows.isEmpty()) {
            throw new ResultsFormatException(file + ": no " + Arrays.stream(Suite.values()).map(s -> s.benchmark)
                    .collect(Collectors.joining(" or ")) + " results with the " + METRIC + " metric");
        }
        List<Measurement> measurements = new ArrayList<>();
        for (Map.Entry<List<String>, Result> row : rows.entrySet()) {
            Result result = row.getValue();
            JsonNode params = result.json().path("params");
            String implementation = params.path("implementation").asText();
            Suite suite = result.suite();
            Result peer = implementation.equals(suite.peer) ? null : rows.get(suite.key(suite.peer, params));
            try {
                measurements.add(measurement(result, peer));
            } catch (IllegalArgumentException e) {
                throw new ResultsFormatException(file + ": result " + row.getKey() + " is not usable: " + e.getMessage());
            }
        }
        return measurements;
    }

    private static Measurement measurement(Result result, Result peerResult) {
        JsonNode params = result.json().path("params");
        Point point = result.suite().point(params);
        Rate rate = Rate.of(result.json());
        Measurement.PeerResult peer = peerResult == null ? null : peerResult.suite().peerResult(Rate.of(peerResult.json()));
        return new Measurement(point.op(), params.path("implementation").asText(), "", PeakEstimator.CPU, Measurement.SOURCE_JMH,
                point.input().cliName(), point.output().cliName(), point.shape(), number(params, "threads"),
                point.input() == DType.INT8 ? "GOP/s" : "GFLOP/s", point.work(), point.bytes(), Measurement.OK, "", rate.runs(),
                point.work() / rate.median(), rate.median(), rate.low(), rate.high(), peer,
                peer == null ? null : rate.median() / peer.median(), null);
    }

    private static int number(JsonNode params, String name) {
        String value = params.path(name).asText();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not an integer");
        }
    }

    /** One benchmark result of a suite this class reads. */
    private record Result(Suite suite, JsonNode json) {
    }

    /** What one result's parameters say of its row: op, dtypes, shape, and the work and least traffic of one call. */
    private record Point(String op, DType input, DType output, Shape shape, double work, double bytes) {
    }

    /**
     * The benchmarks read: the parameters besides the implementation that make one point (an implementation's
     * results of one point are compared with its peer's), and how the parameters become the row.
     */
    private enum Suite {
        GEMM("GemmBenchmark.gemm", OpenBlasPeer.NAME, "dtype", "size", "threads") {
            @Override
            Point point(JsonNode params) {
                int size = number(params, "size");
                GemmSpec spec = GemmSpec.builder().m(size).n(size).k(size)
                        .inputType(DType.fromCliName(params.path("dtype").asText())).build();
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("m", size);
                parameters.put("n", size);
                parameters.put("k", size);
                parameters.put("transA", false);
                parameters.put("transB", false);
                double square = (double) size * size;
                return new Point("gemm", spec.inputType(), spec.outputType(),
                        new Shape("square_" + size, size + "×" + size + "×" + size, parameters), spec.flops() * 1e-9,
                        2 * square * spec.inputType().byteSize() + square * spec.outputType().byteSize());
            }
        },
        CONV("ConvBenchmark.conv", OneDnnPeer.NAME, "layer", "dtype", "batch", "layout", "threads") {
            @Override
            Point point(JsonNode params) {
                String layer = params.path("layer").asText();
                Conv2dSpec spec = ConvBenchmark.spec(layer, number(params, "batch"), params.path("layout").asText(),
                        params.path("dtype").asText());
                return new Point("conv2d", spec.inputType(), spec.outputType(), ConvShapes.layer(layer, spec),
                        spec.flops() * 1e-9, ConvShapes.leastTraffic(spec));
            }
        };

        private final String benchmark;
        private final String peer;
        private final List<String> pointParameters;

        Suite(String benchmark, String peer, String... pointParameters) {
            this.benchmark = benchmark;
            this.peer = peer;
            this.pointParameters = List.of(pointParameters);
        }

        /** The suite of a result's fully qualified benchmark name, none for other benchmarks. */
        static Optional<Suite> of(String benchmark) {
            return Arrays.stream(values()).filter(suite -> benchmark.endsWith(suite.benchmark)).findFirst();
        }

        abstract Point point(JsonNode params);

        /** The suite, the implementation and the point's parameter values: equal for one point's results of one implementation. */
        List<String> key(String implementation, JsonNode params) {
            List<String> key = new ArrayList<>(List.of(name(), implementation));
            pointParameters.forEach(parameter -> key.add(params.path(parameter).asText()));
            return List.copyOf(key);
        }

        Measurement.PeerResult peerResult(Rate rate) {
            return new Measurement.PeerResult(peer + " (jmh)", rate.median(), rate.low(), rate.high());
        }
    }

    /** A JMH result's rate: its median, slowest and fastest iteration, and the number of iterations. */
    private record Rate(double median, double low, double high, int runs) {
        static Rate of(JsonNode result) {
            JsonNode metric = result.path("secondaryMetrics").path(METRIC);
            JsonNode percentiles = metric.path("scorePercentiles");
            double median = percentiles.path("50.0").asDouble(metric.path("score").asDouble());
            int runs = 0;
            for (Iterator<JsonNode> forks = metric.path("rawData").elements(); forks.hasNext(); ) {
                runs += forks.next().size();
            }
            if (!(median > 0)) {
                throw new IllegalArgumentException(METRIC + ": median " + median + " is not a positive rate");
            }
            return new Rate(median, percentiles.path("0.0").asDouble(median), percentiles.path("100.0").asDouble(median),
                    Math.max(1, runs));
        }
    }
}
