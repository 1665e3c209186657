package org.kernels4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JMH rows: GemmBenchmark and ConvBenchmark results read like the report's own rows, other benchmarks left out. */
class JmhResultsTest {
    /** One GemmBenchmark, one ConvBenchmark and one foreign result, written as {@code -rf json} writes them. */
    private static final String FIXTURE = "jmh-gemm-conv.json";
    private static final int GEMM = 0;
    private static final int CONV = 1;
    private static final int OTHER = 2;

    @TempDir
    Path dir;

    @Test
    void readsGemmAndConvResultsAndLeavesOthersOut() throws Exception {
        List<Measurement> rows = JmhResults.read(fixture());
        assertEquals(List.of("gemm", "conv2d"), rows.stream().map(Measurement::op).toList());
        rows.forEach(row -> assertEquals(List.of(Measurement.SOURCE_JMH, Measurement.OK, "vector-cpu", 2, 5),
                List.of(row.source(), row.status(), row.backend(), row.threads(), row.runs()), row::toString));

        Measurement gemm = rows.get(GEMM);
        assertEquals(List.of("fp32", "fp32", "GFLOP/s", "square_512", "512×512×512"),
                List.of(gemm.dtype(), gemm.outputDtype(), gemm.unit(), gemm.shape().name(), gemm.shape().label()));
        assertEquals(List.of(160.0, 155.0, 166.0), List.of(gemm.median(), gemm.low(), gemm.high()));
        assertEquals(2e-9 * 512 * 512 * 512, gemm.workPerCall(), 1e-12);

        Measurement conv = rows.get(CONV);
        assertEquals(List.of("fp32", "fp32", "GFLOP/s", "res2_branch2b", "res2_branch2b, N=1"),
                List.of(conv.dtype(), conv.outputDtype(), conv.unit(), conv.shape().name(), conv.shape().label()));
        assertEquals(Map.ofEntries(Map.entry("n", 1L), Map.entry("c", 64L), Map.entry("h", 56L), Map.entry("w", 56L),
                Map.entry("k", 64L), Map.entry("r", 3L), Map.entry("s", 3L), Map.entry("stride", 1L), Map.entry("pad", 1L),
                Map.entry("dilation", 1L), Map.entry("groups", 1L), Map.entry("layout", "nhwc")), conv.shape().parameters());
        assertEquals(List.of("n", "c", "h", "w", "k", "r", "s", "stride", "pad", "dilation", "groups", "layout"),
                List.copyOf(conv.shape().parameters().keySet()), "in the order of the report's own conv2d rows");
        assertEquals(List.of(92.5, 87.9, 97.1), List.of(conv.median(), conv.low(), conv.high()));
        double work = 2e-9 * 64 * 64 * 3 * 3 * 56 * 56;
        assertEquals(work, conv.workPerCall(), 1e-12);
        assertEquals(work / 92.5, conv.medianSeconds(), 1e-15);
        assertEquals(4.0 * (2 * 64 * 56 * 56 + 64 * 64 * 3 * 3), conv.bytesPerCall(), "x (64×56×56) and w read, y (64×56×56) written, all fp32");
        assertNull(conv.peer(), "no onednn result in the file");
    }

    @Test
    void comparesAConvolutionWithOneDnnOnTheSamePointOnly() throws Exception {
        ArrayNode results = fixtureTree();
        ObjectNode onednn = results.get(CONV).deepCopy();
        ((ObjectNode) onednn.path("params")).put("implementation", "onednn");
        scaleRate(onednn, 2);
        ObjectNode otherBatch = onednn.deepCopy();
        ((ObjectNode) otherBatch.path("params")).put("batch", "2");
        results.add(onednn);
        results.add(otherBatch);

        List<Measurement> rows = JmhResults.read(write(results));
        Measurement conv = rows.stream().filter(r -> r.op().equals("conv2d") && r.backend().equals("vector-cpu")).findFirst().orElseThrow();
        assertEquals(new Measurement.PeerResult("onednn (jmh)", 185.0, 175.8, 194.2), conv.peer());
        assertEquals(0.5, conv.peerRatio(), 1e-12);
        assertNull(rows.get(GEMM).peer(), "a convolution is no peer of a GEMM");
        assertEquals(List.of("res2_branch2b, N=1", "res2_branch2b, N=2"), rows.stream()
                .filter(r -> r.backend().equals("onednn")).map(r -> r.shape().label()).toList());
    }

    @Test
    void countsInt8ConvolutionsInGopPerSecond() throws Exception {
        ArrayNode results = fixtureTree();
        ((ObjectNode) results.get(CONV).path("params")).put("dtype", "int8");

        Measurement conv = JmhResults.read(write(results)).get(CONV);
        assertEquals(List.of("int8", "int32", "GOP/s"), List.of(conv.dtype(), conv.outputDtype(), conv.unit()));
    }

    @Test
    void refusesAFileWithoutGemmOrConvResults() throws Exception {
        ArrayNode results = fixtureTree();
        results.remove(CONV);
        results.remove(GEMM);
        Path file = write(results);

        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> JmhResults.read(file));
        assertEquals(file + ": no GemmBenchmark.gemm or ConvBenchmark.conv results with the gigaOps metric", e.getMessage());
    }

    @Test
    void namesTheResultWhoseConvolutionIsUnknown() throws Exception {
        ArrayNode results = fixtureTree();
        ((ObjectNode) results.get(CONV).path("params")).put("layer", "res9_nothing");
        Path file = write(results);

        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> JmhResults.read(file));
        assertTrue(e.getMessage().contains("res9_nothing") && e.getMessage().contains("layer:"), e::getMessage);
    }

    private static void scaleRate(ObjectNode result, double factor) {
        ObjectNode metric = (ObjectNode) result.path("secondaryMetrics").path("gigaOps");
        ObjectNode percentiles = (ObjectNode) metric.path("scorePercentiles");
        List<String> names = new ArrayList<>();
        percentiles.fieldNames().forEachRemaining(names::add);
        names.forEach(name -> percentiles.put(name, percentiles.path(name).asDouble() * factor));
        metric.put("score", metric.path("score").asDouble() * factor);
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(JmhResultsTest.class.getResource(FIXTURE).toURI());
    }

    private static ArrayNode fixtureTree() throws IOException, URISyntaxException {
        JsonNode tree = new ObjectMapper().readTree(Files.readString(fixture()));
        assertEquals("com.example.OtherBenchmark.run", tree.get(OTHER).path("benchmark").asText(), "the fixture's foreign result");
        return (ArrayNode) tree;
    }

    private Path write(JsonNode results) throws IOException {
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, new ObjectMapper().writeValueAsString(results));
        return file;
    }
}
