package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.report.Measurement;
import org.kernels4j.testing.Requirements;

/** The peer and the backends of a point are timed together: each keeps its row, a failing one its message. */
@Timeout(60)
class GemmBenchInterleavedTest {
    private static final int RUNS = 3;
    private static final List<GemmProblem> PROBLEMS = List.of(
            new GemmProblem("working", GemmShape.square(FailingBackendProvider.LARGEST_WORKING_M), false, false),
            new GemmProblem("failing", GemmShape.square(FailingBackendProvider.LARGEST_WORKING_M + 1), false, false));

    @AfterEach
    void disableFailingBackend() {
        System.clearProperty(FailingBackendProvider.ENABLE);
    }

    private static List<Measurement> run(GemmBench.PeerUse peer) {
        System.setProperty(FailingBackendProvider.ENABLE, "true");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        GemmBench.Plan plan = new GemmBench.Plan(List.of(ReferenceBackend.NAME, FailingBackendProvider.NAME), List.of(DType.FP32),
                PROBLEMS, List.of(1), peer, new GemmTimer(1, Duration.ZERO, Duration.ZERO, RUNS), false, GemmBench.NO_CALL_LIMIT);
        return GemmBench.run(plan, new Terminal(quiet, quiet, false));
    }

    @Test
    void aBackendFailingAmongOthersGetsItsRowAndTheOthersTheirRuns() {
        List<Measurement> rows = run(GemmBench.PeerUse.NONE);
        assertEquals(List.of(Measurement.OK, Measurement.OK, Measurement.OK, Measurement.FAILED),
                rows.stream().map(Measurement::status).toList(), rows::toString);
        assertEquals(List.of(ReferenceBackend.NAME, FailingBackendProvider.NAME, ReferenceBackend.NAME, FailingBackendProvider.NAME),
                rows.stream().map(Measurement::backend).toList());
        assertTrue(rows.get(3).message().endsWith(FailingBackendProvider.FAILURE), rows.get(3)::message);
        rows.stream().filter(Measurement::ok).forEach(row -> {
            assertEquals(RUNS, row.runs(), row::toString);
            assertNull(row.peer());
            assertNull(row.peerRatio());
        });
    }

    @Test
    void eachMeasuredRowHasTheRatioToThePeerTimedAlongside() {
        try (OpenBlasPeer peer = OpenBlasPeer.open(1)) {
            Requirements.assumeAvailable("openblas", peer.availability());
        }
        List<Measurement> rows = run(GemmBench.PeerUse.REQUIRED);
        assertEquals(4, rows.size(), rows::toString);
        for (Measurement row : rows) {
            assertNotNull(row.peer(), row::toString);
            assertEquals("openblas cblas_sgemm", row.peer().name());
            if (row.ok()) {
                assertEquals(RUNS, row.runs(), row::toString);
                assertTrue(row.peerRatio() > 0, row::toString);
            } else {
                assertNull(row.peerRatio(), row::toString);
            }
        }
    }
}
