package org.kernels4j.comm.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ranks under mpirun bind libmpi, initialise MPI with enough thread support and agree on a sum;
 * payloads longer than the transport's message limit arrive whole; heap memory is refused.
 */
class MpiSmokeTest {

    @Test
    @Timeout(60)
    void twoRanksInitialiseMpiReduceAndSplitLongPayloads(@TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = MpiTesting.run(2, MpiSmokeProgram.class, Duration.ofSeconds(50), List.of(directory.toString()));
        for (int rank = 0; rank < 2; rank++) {
            List<String> lines = MpiTesting.readResults(directory, rank, job);
            String[] fields = lines.get(0).split(" ");
            assertEquals(List.of(Integer.toString(rank), "2"), List.of(fields[0], fields[1]), lines.get(0));
            assertTrue(fields[2].equals("MPI_THREAD_MULTIPLE") || fields[2].equals("MPI_THREAD_SERIALIZED"), lines.get(0));
            assertEquals("3", fields[3], "1 + 2 summed by MPI_Allreduce on rank " + rank);
            assertEquals("chunked " + 2 * MpiSmokeProgram.CHUNKED_COUNT, lines.get(1), "rank " + rank);
            assertTrue(lines.get(2).startsWith("heap source: a heap segment cannot be handed to MPI"), lines.get(2));
        }
        assertEquals(0, job.exitCode(), job.output());
    }
}
