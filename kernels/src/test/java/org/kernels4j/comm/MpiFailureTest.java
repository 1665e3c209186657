package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.comm.mpi.MpiLauncher;
import org.kernels4j.comm.mpi.MpiTesting;

/**
 * Processes that stall, exit or disagree in the middle of a job ({@link MpiFailureProgram}): the others
 * fail with an exception naming the collective and the rank, and the job always ends, long before
 * either the stalled rank would wake up or the survivors' own timeout would pass.
 */
class MpiFailureTest {
    /** Far below the stall and below the survivors' timeout in the exit scenarios. */
    private static final Duration JOB_LIMIT = Duration.ofSeconds(45);

    @Test
    @Timeout(60)
    void aStalledRankTimesTheOthersOutNamingItAndTheJobEnds(@TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = run(3, "stall", directory);
        assertFalse(job.timedOut(), "the job did not end:\n" + job.output());
        assertNotEquals(0, job.exitCode(), job.output());
        assertFalse(Files.exists(MpiTesting.resultFile(directory, 1)), "the stalled rank woke up before the job ended");
        for (int rank : new int[] {0, 2}) {
            Map<String, String> result = results(directory, rank, job);
            String failure = result.get("failure");
            assertTrue(failure.contains("allReduce #1") && failure.contains("rank 1") && failure.contains("timed out"),
                    "rank " + rank + ": " + failure);
            assertEquals("[1]", result.get("ranks"), "rank " + rank + " blames");
            assertTrue(Long.parseLong(result.get("elapsedMillis")) < MpiFailureProgram.STALL_SLEEP.toMillis(), result.toString());
            assertTrue(result.get("later").contains("poisoned"), result.get("later"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "halt"})
    @Timeout(60)
    void aRankThatExitsEndsTheJobAndTheOutputNamesIt(String scenario, @TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = run(2, scenario, directory);
        assertFalse(job.timedOut(), "the job did not end:\n" + job.output());
        assertNotEquals(0, job.exitCode(), job.output());
        // Open MPI names the process as "process rank 1" or "Process name: [[job,1],1]".
        assertTrue(Pattern.compile("rank 1 |\\[\\[\\d+,\\d+],1]").matcher(job.output()).find(), job.output());
        if (scenario.equals("exit")) {
            assertTrue(Pattern.compile("Exit code:\\s+7").matcher(job.output()).find(), job.output());
        }
    }

    @Test
    @Timeout(60)
    void mismatchedCountsAreReportedOnEveryRank(@TempDir Path directory) throws Exception {
        MpiTesting.assumeMpi();
        MpiLauncher.Result job = run(3, "mismatch", directory);
        assertFalse(job.timedOut(), "the job did not end:\n" + job.output());
        for (int rank = 0; rank < 3; rank++) {
            Map<String, String> result = results(directory, rank, job);
            String failure = result.get("failure");
            assertTrue(failure.contains("mismatched collectives") && failure.contains("count 10") && failure.contains("count 12"),
                    "rank " + rank + ": " + failure);
            assertTrue(result.get("ranks").contains("1"), "rank " + rank + " blames " + result.get("ranks"));
            assertTrue(result.get("later").contains("poisoned"), result.get("later"));
        }
    }

    private static MpiLauncher.Result run(int ranks, String scenario, Path directory) throws Exception {
        return MpiTesting.run(ranks, MpiFailureProgram.class, JOB_LIMIT, List.of(scenario, directory.toString(), "1"));
    }

    private static Map<String, String> results(Path directory, int rank, MpiLauncher.Result job) throws Exception {
        Map<String, String> result = new HashMap<>();
        for (String line : MpiTesting.readResults(directory, rank, job)) {
            String[] keyAndValue = line.split("\t", 2);
            result.put(keyAndValue[0], keyAndValue[1]);
        }
        return result;
    }
}
