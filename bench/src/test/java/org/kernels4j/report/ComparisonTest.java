package org.kernels4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows of two machines matched by op, dtypes, shape, backend and threads; a collective's ranks match as a count. */
class ComparisonTest {
    @Test
    void matchesAllReducesOfTheSameRanksOnMachinesWithDifferentProcessorCounts() throws Exception {
        Results laptop = ResultsFixtures.laptopResults(List.of(ResultsFixtures.allReduce("mpi", "fp32", 1L << 20, 1.0, 2.0),
                ResultsFixtures.gemm("vector-cpu", "fp32", 256, 2, 50, 0)));
        Results xeon = ResultsJson.parse(ResultsFixtures.XEON, ResultsFixtures.xeonJson());
        Results server = Results.of(xeon.generator(), xeon.createdAt(), xeon.mode(), xeon.machine(), xeon.devices(), xeon.peaks(),
                xeon.memoryBandwidth(), xeon.validation(), List.of(ResultsFixtures.allReduce("mpi", "fp32", 1L << 20, 4.0, 2.0),
                        ResultsFixtures.gemm("vector-cpu", "fp32", 256, 112, 500, 0)), xeon.notes());
        Comparison comparison = Comparison.of(List.of(new Comparison.Input("A", "a.json", laptop), new Comparison.Input("B", "b.json", server)));
        Comparison.Row allReduce = comparison.rows().stream().filter(r -> r.op().equals("allreduce")).findFirst().orElseThrow();
        assertEquals(List.of("2", "mpi transport", "1 MiB", "GB/s"), List.of(allReduce.threads(), allReduce.backend(), allReduce.shape(), allReduce.unit()));
        assertEquals(4.0, allReduce.speedUp(1), 1e-12);
        Comparison.Row gemm = comparison.rows().stream().filter(r -> r.op().equals("gemm")).findFirst().orElseThrow();
        assertEquals(Comparison.ALL_THREADS, gemm.threads(), "GEMM on every processor still matches across machines");
        assertEquals(10.0, gemm.speedUp(1), 1e-12);
    }
}
