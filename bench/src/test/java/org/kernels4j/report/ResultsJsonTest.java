package org.kernels4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results schema: what is written reads back equal, required fields are there, and other versions are refused. */
class ResultsJsonTest {
    private static final Results RESULTS = ResultsFixtures.laptopResults(List.of(
            ResultsFixtures.gemm("vector-cpu", "fp32", 256, 2, 60.5, 70.25),
            ResultsFixtures.gemm("vector-cpu", "int8", 256, 2, 110, 0)));

    @Test
    void writesAndReadsBackTheSameResults() throws Exception {
        String json = ResultsJson.write(RESULTS);
        Results read = ResultsJson.parse("round trip", json);
        assertEquals(RESULTS, read);
        assertEquals(json, ResultsJson.write(read));
    }

    @Test
    void keepsAllReduceRowsAndAcceleratorDetails() throws Exception {
        Results base = ResultsFixtures.laptopResults(List.of(ResultsFixtures.allReduce("mpi", "fp32", 1L << 20, 1.5, 2.0),
                ResultsFixtures.allReduce("local", "fp16", 8, 0.001, 0)));
        Results results = Results.of(base.generator(), base.createdAt(), base.mode(), ResultsFixtures.laptopWithAccelerators(),
                base.devices(), base.peaks(), base.memoryBandwidth(), base.validation(), base.measurements(), base.notes());
        String json = ResultsJson.write(results);
        Results read = ResultsJson.parse("round trip", json);
        assertEquals(results, read);
        assertEquals(1L << 20, read.measurements().getFirst().shape().parameters().get("bytes"));
        assertNull(read.measurements().getFirst().bytesPerCall(), "a collective has no roofline point");
        Machine.Gpu pocl = read.machine().gpus().get(1);
        assertEquals(List.of("CPU", "3.1+debian"), List.of(pocl.kind(), pocl.details().get("driver")));
        assertTrue(read.machine().summary().endsWith("; no GPU"), "an OpenCL CPU device and an absent CUDA are no GPU");
    }

    @Test
    void readsAcceleratorsWithoutKindOrDetailsAsGpusWithNone() throws Exception {
        Machine.Gpu h100 = ResultsJson.parse(ResultsFixtures.XEON, ResultsFixtures.xeonJson()).machine().gpus().getFirst();
        assertEquals(List.of("GPU", Map.of()), List.of(h100.kind(), h100.details()));
    }

    @Test
    void writesEveryRequiredFieldOfTheSchema() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(ResultsJson.write(RESULTS));
        for (String field : List.of("format", "schemaVersion", "generator", "createdAt", "mode", "machine", "devices", "peaks",
                "memoryBandwidth", "validation", "measurements", "notes")) {
            assertTrue(tree.has(field), field);
        }
        assertEquals(Results.SCHEMA_VERSION, tree.get("schemaVersion").asInt());
        for (String field : List.of("model", "vendor", "logicalProcessors", "physicalCores", "ghz", "ghzSource", "vectorBits", "features", "caches")) {
            assertTrue(tree.path("machine").path("cpu").has(field), "machine.cpu." + field);
        }
        JsonNode measurement = tree.path("measurements").get(0);
        for (String field : List.of("op", "backend", "dtype", "outputDtype", "shape", "threads", "unit", "workPerCall", "status", "median",
                "low", "high", "peer", "peerRatio", "percentOfPeak")) {
            assertTrue(measurement.has(field), "measurement." + field);
        }
        assertEquals(256, measurement.path("shape").path("parameters").path("m").asInt());
        assertEquals("openblas cblas_sgemm", measurement.path("peer").path("name").asText());
        assertTrue(measurement.path("percentOfPeak").asDouble() > 0);
        assertTrue(tree.path("measurements").get(1).path("peer").isNull(), "INT8 has no peer");
    }

    @Test
    void readsTheFixtureFromAnotherMachine() throws Exception {
        Results xeon = ResultsJson.parse(ResultsFixtures.XEON, ResultsFixtures.xeonJson());
        assertEquals(112, xeon.machine().cpu().logicalProcessors());
        assertTrue(xeon.machine().cpu().has("AMX-INT8"));
        assertEquals(8, xeon.measurements().size());
        assertNotNull(xeon.memoryBandwidth());
    }

    @Test
    void refusesOtherSchemaVersionsNamingBoth() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(ResultsJson.write(RESULTS));
        tree.put("schemaVersion", 2);
        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse("new.json", tree.toString()));
        assertEquals("new.json: schema version 2, but this k4j reads version 1 only (re-run k4j report with this version, "
                + "or read it with the k4j that wrote it)", e.getMessage());
    }

    @Test
    void refusesFilesThatAreNotResults() throws Exception {
        assertTrue(assertThrows(ResultsFormatException.class, () -> ResultsJson.parse("x", "not json")).getMessage().startsWith("x: not JSON ("));
        assertEquals("x: not a kernels4j results file (no \"format\": \"kernels4j-results\")",
                assertThrows(ResultsFormatException.class, () -> ResultsJson.parse("x", "{}")).getMessage());
        assertEquals("x: no schemaVersion number", assertThrows(ResultsFormatException.class,
                () -> ResultsJson.parse("x", "{\"format\": \"kernels4j-results\"}")).getMessage());
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(ResultsJson.write(RESULTS));
        tree.remove("machine");
        String message = assertThrows(ResultsFormatException.class, () -> ResultsJson.parse("x", tree.toString())).getMessage();
        assertTrue(message.startsWith("x: machine: missing"), message);
    }

    @Test
    void storesNonFiniteNumbersAsAbsent() {
        ValidationCheck threw = new ValidationCheck("gemm", "b", "fp32", "fp32", "case", "RANDOM", ValidationCheck.FAIL,
                Double.POSITIVE_INFINITY, "threw");
        assertNull(threw.worstErrorOverBound());
        assertThrows(IllegalArgumentException.class, () -> new ValidationCheck("gemm", "b", "fp32", "fp32", "case", "RANDOM", "MAYBE", 0.0, ""));
    }
}
