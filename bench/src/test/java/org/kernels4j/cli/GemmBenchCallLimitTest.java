package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.bench.GemmProblem;
import org.kernels4j.bench.GemmShape;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.report.Measurement;

/** A backend skips the GEMM points whose call it would not finish within the plan's limit, judging by an earlier point. */
@Timeout(60)
class GemmBenchCallLimitTest {
    private static final List<GemmProblem> PROBLEMS = List.of(new GemmProblem("small", GemmShape.square(8), false, false),
            new GemmProblem("large", GemmShape.square(32), false, false), new GemmProblem("small_again", GemmShape.square(4), false, false));

    private static List<Measurement> run(double callLimitSeconds) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        GemmBench.Plan plan = new GemmBench.Plan(List.of(ReferenceBackend.NAME), List.of(DType.FP32), PROBLEMS, List.of(1),
                GemmBench.PeerUse.NONE, new GemmTimer(0, Duration.ZERO, Duration.ZERO, 1), false, callLimitSeconds);
        return GemmBench.run(plan, new Terminal(quiet, quiet, false));
    }

    @Test
    void skipsWhatWouldTakeLongerThanTheLimitAndSaysWhy() {
        List<Measurement> rows = run(1e-15);
        assertEquals(List.of(Measurement.OK, Measurement.NOT_RUN, Measurement.NOT_RUN), rows.stream().map(Measurement::status).toList());
        assertTrue(rows.get(1).message().matches("skipped: about \\d+ s per call at the .+ GFLOP/s reached on 8×8×8 \\(this run limits a call to 0 s\\)"),
                rows.get(1)::message);
    }

    @Test
    void measuresEverythingWithoutALimit() {
        assertTrue(run(GemmBench.NO_CALL_LIMIT).stream().allMatch(Measurement::ok));
        assertThrows(IllegalArgumentException.class, () -> run(0));
    }
}
