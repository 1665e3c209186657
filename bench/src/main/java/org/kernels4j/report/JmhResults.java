package org.kernels4j.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a JMH JSON result file ({@code -rf json}) of {@code GemmBenchmark} into measurement rows (source "jmh"):
 * the rate is the secondary metric {@code gigaOps} (GFLOP/s, GOP/s for INT8), its median the 50th percentile
 * over the iterations and its spread the slowest and fastest iterations. The implementation becomes the
 * backend; an {@code openblas} row with the same dtype, size and threads is the peer of the others. Results of
 * other benchmarks are left out.
 */
public final class JmhResults {
    static final String BENCHMARK = "GemmBenchmark.gemm";
    private static final String METRIC = "gigaOps";
    private static final String PEER = "openblas";

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
        Map<List<String>, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode result : tree) {
            JsonNode params = result.path("params");
            JsonNode metric = result.path("secondaryMetrics").path(METRIC);
            if (result.path("benchmark").asText().endsWith(BENCHMARK) && metric.isObject()) {
                rows.put(List.of(params.path("implementation").asText(), params.path("dtype").asText(), params.path("size").asText(),
                        params.path("threads").asText()), result);
            }
        }
        if (rows.isEmpty()) {
            throw new ResultsFormatException(file + ": no " + BENCHMARK + " results with the " + METRIC + " metric");
        }
        List<Measurement> measurements = new ArrayList<>();
        for (Map.Entry<List<String>, JsonNode> row : rows.entrySet()) {
            List<String> key = row.getKey();
            JsonNode peer = key.get(0).equals(PEER) ? null : rows.get(List.of(PEER, key.get(1), key.get(2), key.get(3)));
            try {
                measurements.add(measurement(row.getValue(), peer));
            } catch (IllegalArgumentException e) {
                throw new ResultsFormatException(file + ": result " + key + " is not usable: " + e.getMessage());
            }
        }
        return measurements;
    }

    private static Measurement measurement(JsonNode result, JsonNode peerResult) {
        JsonNode params = result.path("params");
        String dtype = params.path("dtype").asText();
        int size = Integer.parseInt(params.path("size").asText());
        int threads = Integer.parseInt(params.path("threads").asText());
        double work = 2e-9 * size * size * size;
        boolean int8 = dtype.equals("int8");
        int inputBytes = switch (dtype) {
            case "fp32" -> 4;
            case "fp16", "bf16" -> 2;
            case "int8" -> 1;
            default -> throw new IllegalArgumentException("dtype: '" + dtype + "' is not fp32, fp16, bf16 or int8");
        };
        Rate rate = Rate.of(result.path("secondaryMetrics").path(METRIC));
        Measurement.PeerResult peer = peerResult == null ? null : peerResult(peerResult);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("m", size);
        parameters.put("n", size);
        parameters.put("k", size);
        parameters.put("transA", false);
        parameters.put("transB", false);
        return new Measurement("gemm", params.path("implementation").asText(), "", PeakEstimator.CPU, Measurement.SOURCE_JMH, dtype,
                int8 ? "int32" : "fp32", new Shape("square_" + size, size + "×" + size + "×" + size, parameters), threads,
                int8 ? "GOP/s" : "GFLOP/s", work, 2.0 * size * size * inputBytes + 4.0 * size * size, Measurement.OK, "",
                rate.runs(), work / rate.median(), rate.median(), rate.low(), rate.high(), peer,
                peer == null ? null : rate.median() / peer.median(), null);
    }

    private static Measurement.PeerResult peerResult(JsonNode result) {
        Rate rate = Rate.of(result.path("secondaryMetrics").path(METRIC));
        return new Measurement.PeerResult(PEER + " (jmh)", rate.median(), rate.low(), rate.high());
    }

    /** A JMH metric's median, slowest and fastest iteration, and the number of iterations. */
    private record Rate(double median, double low, double high, int runs) {
        static Rate of(JsonNode metric) {
            JsonNode percentiles = metric.path("scorePercentiles");
            double median = percentiles.path("50.0").asDouble(metric.path("score").asDouble());
            int runs = 0;
            for (Iterator<JsonNode> forks = metric.path("rawData").elements(); forks.hasNext(); ) {
                runs += forks.next().size();
            }
            if (!(median > 0)) {
                throw new IllegalArgumentException(METRIC + ": median " + median + " is not a positive rate");
            }
            return new Rate(median, percentiles.path("0.0").asDouble(median), percentiles.path("100.0").asDouble(median), Math.max(1, runs));
        }
    }
}
