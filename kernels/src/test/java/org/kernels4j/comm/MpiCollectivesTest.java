package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiTesting;

/**
 * Every collective, op, dtype and all-reduce algorithm over the MPI transport, with the ranks as
 * processes under mpirun: each rank checks its result against the reference, and results that must be
 * equal on all ranks must have the same bits ({@link MpiCollectivesProgram} runs them all in one job).
 */
class MpiCollectivesTest {

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3})
    @Timeout(150)
    void everyCollectiveMatchesTheReferenceWithTheSameBitsOnEveryRank(int ranks, @TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = MpiTesting.run(ranks, MpiCollectivesProgram.class, Duration.ofSeconds(140), List.of(directory.toString()));
        List<List<String[]>> results = new ArrayList<>();
        for (int rank = 0; rank < ranks; rank++) {
            results.add(MpiTesting.readResults(directory, rank, job).stream().map(line -> line.split("\t", 3)).toList());
        }
        List<String> failures = new ArrayList<>();
        for (int rank = 0; rank < ranks; rank++) {
            for (String[] line : results.get(rank)) {
                if (!line[2].equals("ok")) {
                    failures.add("rank " + rank + ", " + line[0] + ": " + line[2]);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.subList(0, Math.min(10, failures.size())));
        assertEquals(0, job.exitCode(), job.output());
        List<String[]> first = results.get(0);
        assertTrue(first.size() > 500, "only " + first.size() + " cases ran");
        for (int rank = 1; rank < ranks; rank++) {
            assertEquals(first.size(), results.get(rank).size(), "rank " + rank + " ran a different number of cases");
            for (int i = 0; i < first.size(); i++) {
                String[] mine = results.get(rank).get(i);
                assertEquals(first.get(i)[0], mine[0], "case " + i);
                assertEquals(first.get(i)[1], mine[1], mine[0] + ": rank " + rank + "'s result differs from rank 0's");
            }
        }
    }
}
