package org.kernels4j.bench.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.DType;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiTesting;

/** MPI's own collectives as the benchmark peer, run by 3 ranks under mpirun, and the cross-rank timer. */
class MpiCollectivePeerTest {

    @Test
    @Timeout(60)
    void everyPeerCollectiveGivesMpisResultAndEveryRankTheSameTiming(@TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = MpiTesting.run(3, MpiPeerProgram.class, Duration.ofSeconds(50), List.of(directory.toString()));
        String timing = null;
        for (int rank = 0; rank < 3; rank++) {
            Map<String, String> result = new HashMap<>();
            for (String line : MpiTesting.readResults(directory, rank, job)) {
                String[] keyAndValue = line.split("\t", 2);
                result.put(keyAndValue[0], keyAndValue[1]);
            }
            assertEquals("[6, 60, -3]", result.get("allReduce"), "rank " + rank);
            assertEquals("[" + (float) (rank + 2) + ", 0.0]", result.get("reduceScatter"), "rank " + rank);
            assertEquals("[0, 0, 1, -1, 2, -2]", result.get("allGather"), "rank " + rank);
            assertEquals("[2, 2]", result.get("broadcast"), "rank " + rank);
            if (timing == null) {
                timing = result.get("timing");
            }
            assertEquals(timing, result.get("timing"), "rank " + rank + "'s timing differs from rank 0's");
        }
        assertEquals(0, job.exitCode(), job.output());
    }

    @Test
    @Timeout(10)
    void dtypesAndOpsWithoutAnMpiCounterpartAreNamed() {
        assertTrue(MpiCollectivePeer.supports(DType.FP16, ReduceOp.SUM).reason().contains("no FP16 datatype"));
        assertTrue(MpiCollectivePeer.supports(DType.BF16, null).reason().contains("no BF16 datatype"));
        assertTrue(MpiCollectivePeer.supports(DType.FP32, ReduceOp.AVG).reason().contains("no AVG"));
        assertTrue(MpiCollectivePeer.supports(DType.INT8, ReduceOp.MAX).available());
        assertEquals("MPI_Reduce_scatter_block", MpiCollectivePeer.routine(Collective.REDUCE_SCATTER));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MpiRankTimer(-1, 1)).getMessage().startsWith("warmupCalls"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MpiRankTimer(0, 0)).getMessage().startsWith("measuredRuns"));
    }
}
