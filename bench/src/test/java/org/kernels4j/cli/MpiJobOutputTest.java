package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What k4j makes of an MPI job's tagged output and exit status, on lines as Open MPI 4.1 prints them. */
class MpiJobOutputTest {
    private static final List<String> MPIRUN_REPORT = List.of(
            "--------------------------------------------------------------------------",
            "Primary job  terminated normally, but 1 process returned",
            "a non-zero exit code. Per user-direction, the job has been aborted.",
            "--------------------------------------------------------------------------");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MpiJobOutput output = new MpiJobOutput(new PrintStream(out, true, StandardCharsets.UTF_8));

    private int verdict(int mpirunExitCode, List<String> lines) {
        lines.forEach(output::line);
        return output.verdict(mpirunExitCode, new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void relaysRankZerosStdoutUntaggedAndDropsTheJvmsChatterOnSuccess() {
        int exit = verdict(0, List.of("[1,0]<stdout>:allreduce sum fp32 (3,) over 2 ranks; wrote y.npy",
                "[1,1]<stderr>:WARNING: Using incubator modules: jdk.incubator.vector",
                "[1,0]<stdout>:  size (B)  count"));
        assertEquals(0, exit);
        assertEquals("allreduce sum fp32 (3,) over 2 ranks; wrote y.npy\n  size (B)  count\n", out());
        assertEquals("", err());
    }

    /** mpirun tags each piece it reads: a line it read in two pieces carries a tag again in the middle. */
    @Test
    void dropsTheTagThatMpirunPutsInTheMiddleOfALineItReadInTwoPieces() {
        int exit = verdict(0, List.of("[1,0]<stdout>:16384  8192  fp16        0.00[1,0]<stdout>:          0.00       0",
                "[1,0]<stdout>:  512  fp16  none[1,0]<stdout>: (MPI has no FP16 datatype)"));
        assertEquals(0, exit);
        assertEquals("16384  8192  fp16        0.00          0.00       0\n  512  fp16  none (MPI has no FP16 datatype)\n", out());
    }

    @Test
    void namesTheRankWhoseK4jMessageCameFirstAndEndsWithItsExitCode() {
        List<String> lines = new ArrayList<>(List.of(
                "[1,1]<stderr>:WARNING: Using incubator modules: jdk.incubator.vector",
                "[1,1]<stderr>:k4j: internal error: java.io.IOException: disk full",
                "[1,0]<stderr>:k4j: internal error: CollectiveException: rank 1 left"));
        lines.addAll(MPIRUN_REPORT);
        assertEquals(1, verdict(1, lines));
        assertEquals("k4j: rank 1: internal error: java.io.IOException: disk full\n", err());
        assertEquals("", out());
    }

    @Test
    void keepsTheRanksBadInputAndUnavailableExitCodes() {
        assertEquals(2, verdict(2, List.of("[1,0]<stderr>:k4j: --in: no such file 'a.npy'")));
        assertEquals("k4j: rank 0: --in: no such file 'a.npy'\n", err());
    }

    @Test
    void reportsMpirunsOwnFailureOnOneLine() {
        assertEquals(1, verdict(213, MPIRUN_REPORT));
        assertEquals("k4j: the MPI job failed (mpirun exit 213): Primary job  terminated normally, but 1 process returned"
                + " a non-zero exit code. Per user-direction, the job has been aborted.\n", err());
    }
}
