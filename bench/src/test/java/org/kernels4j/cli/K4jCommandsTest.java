package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.testing.Requirements;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.report.Results;
import org.kernels4j.report.ResultsFormatException;
import org.kernels4j.report.ResultsJson;

/** devices, validate, bench, report and the command-level errors, run in this JVM through {@link K4j#run}. */
class K4jCommandsTest {
    @TempDir
    Path dir;

    @AfterEach
    void disableTheWrongBackend() {
        System.clearProperty(WrongBackendProvider.ENABLE);
    }

    private static void assertBadInput(Cli.Result result, int exit, String message) {
        assertEquals(exit, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), () -> "one line on stderr: " + result);
        assertTrue(result.err().contains(message), () -> "stderr should contain '" + message + "': " + result);
    }

    @Test
    void helpPrintsTheUsageToStdout() {
        for (String help : new String[] {"help", "--help", "-h"}) {
            Cli.Result result = Cli.run(help);
            assertEquals(0, result.exitCode());
            assertEquals(K4j.USAGE, result.out());
            assertEquals("", result.err());
        }
        Cli.Result gemmHelp = Cli.run("bench", "gemm", "--help");
        assertEquals(0, gemmHelp.exitCode());
        assertTrue(gemmHelp.out().startsWith("usage: k4j bench gemm [options]"), gemmHelp::toString);
        assertTrue(Cli.run("validate", "--help").out().contains("--quick"));
    }

    @ParameterizedTest(name = "[{index}] k4j {0}")
    @CsvSource(delimiter = '|', value = {
        "''                         | no command given (k4j help lists the commands)",
        "frobnicate                 | unknown command 'frobnicate' (devices, run, validate, bench, report, compare or help)",
        "run                        | run: name the operation first, e.g. k4j run gemm",
        "run --a x.npy              | run: name the operation first, e.g. k4j run gemm --a x.npy",
        "run matmul                 | run: unknown operation 'matmul' (gemm, conv2d, allreduce)",
        "compare a.json             | compare: give at least two results files (got 1)",
        "compare a.json b.json      | compare: a.json: no such file",
        "bench                      | bench: name the operation first",
        "bench fft                  | bench: unknown operation 'fft' (gemm, conv2d, allreduce, reducescatter, allgather, broadcast)",
        "bench gemm --sizes 0       | --sizes: '0' has an extent of 0; sizes must be at least 1",
        "bench gemm --sizes -256    | --sizes: '-256' has an extent of -256",
        "bench gemm --sizes 8x0x8   | --sizes: '8x0x8' has an extent of 0",
        "bench gemm --sizes 8x8     | --sizes: '8x8' is neither a size (512) nor MxNxK",
        "bench gemm --sizes abc     | --sizes: 'abc' is neither a size",
        "bench gemm --threads 0     | --threads: 0 is less than 1",
        "bench gemm --reps 0        | --reps: 0 is less than 1",
        "bench gemm --warmup -1     | --warmup: -1 is less than 0",
        "bench gemm --peer mkl      | --peer: unknown peer 'mkl' (openblas or none)",
        "bench gemm --dtype int32   | --dtype: int32 is not a GEMM input dtype",
        "bench gemm --backend tpu --sizes 8 | --backend: unknown backend 'tpu'",
        "bench gemm extra           | bench gemm: unexpected argument 'extra' (options start with --)",
        "bench --jmh -badoption     | bench --jmh: ",
        "bench allreduce --ranks 0  | --ranks: 0 is less than 1",
        "bench allreduce --ranks 129 | --ranks: 129 is more than 128 (the checked inputs stay exact up to there)",
        "bench allreduce --max-bytes 12X | --max-bytes: '12X' is not a size in bytes (e.g. 8, 64K, 256M, 1G)",
        "bench allreduce --max-bytes 1.5M | --max-bytes: '1.5M' is not a size in bytes",
        "bench allreduce --max-bytes 99999999999G | --max-bytes: '99999999999G' is too large",
        "bench allreduce --min-bytes 0 | --min-bytes: '0' is less than 1 byte",
        "bench allreduce --min-bytes 1M --max-bytes 1K | --max-bytes: 1024 is less than --min-bytes 1048576",
        "bench allreduce --factor 1 | --factor: 1 is less than 2",
        "bench allreduce --iters 0  | --iters: 0 is less than 1",
        "bench allgather --warmup -1 | --warmup: -1 is less than 0",
        "bench allreduce --op mean  | --op: unknown reduction 'mean' (sum, prod, max, min, avg)",
        "bench reducescatter --op avg --dtype fp32,int8 | --op avg is not defined for integer dtype int8",
        "bench allgather --op sum   | bench allgather: unknown option '--op'",
        "bench broadcast --algorithm ring | bench broadcast: unknown option '--algorithm'",
        "bench allreduce --root 1   | bench allreduce: unknown option '--root'",
        "bench broadcast --root 2   | --root: 2 is not a rank of 2 (0 to 1)",
        "bench broadcast --root -1  | --root: -1 is less than 0",
        "bench allreduce --algorithm fast | --algorithm: unknown algorithm 'fast' (auto, ring, recursive-doubling, halving-doubling, tree)",
        "bench allreduce --dtype fp64 | --dtype: 'fp64' is not a dtype",
        "bench allreduce --transport tcp | --transport: unknown transport 'tcp' (local or mpi)",
        "bench allreduce --backend tpu | --backend: unknown backend 'tpu'",
        "validate --op allreduce    | allreduce is not implemented yet in this version of k4j",
        "validate --op conv2d --dtype int32 | --dtype: int32 is not a conv2d input dtype",
        "validate --op fft          | --op: unknown operation 'fft' (gemm, conv2d or allreduce)",
        "validate --dtype fp8       | --dtype: 'fp8' is not a dtype",
        "validate --backend nope    | --backend: unknown backend 'nope'",
        "devices --verbose          | devices: unknown option '--verbose' (known: --help)",
        "report --fast              | report: unknown option '--fast'",
    })
    void refusesBadCommandLines(String commandLine, String message) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");
        assertBadInput(Cli.run(args), 2, message);
    }

    @Test
    void devicesListsBackendsAndPeersWithReasons() {
        Cli.Result result = Cli.run("devices");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("reference +CPU +scalar Java.* available")), result::toString);
        assertTrue(result.out().contains(WrongBackendProvider.NAME), result::toString);
        assertTrue(result.out().contains("unavailable: enabled only by the tests' system property"), result::toString);
        assertTrue(result.out().contains("\nopenblas  "), result::toString);
        assertTrue(result.out().contains("\nonednn  "), result::toString);
        // CUDA is listed on every machine: available with its GPU, or with the reason (no driver, no device, ...).
        assertTrue(result.out().lines().anyMatch(l -> l.matches("cuda +GPU +.+ +(available|unavailable: .+)")), result::toString);
    }

    @Test
    void validatePassesTheReferenceAgainstItself() {
        Cli.Result result = Cli.run("validate", "--backend", "reference", "--quick", "--dtype", "fp32,int8");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("backend    case "), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("reference +INT8→INT32 33×17×127 NT α=1 β=1 ld\\+ +small_integers +0 \\(exact\\) +PASS")),
                result::toString);
        assertTrue(result.out().contains("validate: 40 of 40 checks passed, 0 failed, 0 not run (unsupported)"), result::toString);
    }

    @Test
    void validateFailsAWrongBackendWithExitCode1() {
        System.setProperty(WrongBackendProvider.ENABLE, "true");
        Cli.Result result = Cli.run("validate", "--quick", "--dtype", "fp16", "--backend", WrongBackendProvider.NAME);
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains("FAIL: 1 of "), result::toString);
        assertFalse(result.out().contains("PASS"), result::toString);
        assertTrue(result.out().contains("elements outside the bound, first C[0,0]"), result::toString);
        assertTrue(result.out().contains("0 of 20 checks passed, 20 failed"), result::toString);
    }

    @Test
    void validateByDefaultChecksEveryAvailableBackendButTheReference() {
        System.setProperty(WrongBackendProvider.ENABLE, "true");
        Cli.Result result = Cli.run("validate", "--quick", "--dtype", "bf16");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains(WrongBackendProvider.NAME + "  BF16→"), result::toString);
        assertFalse(result.out().contains("\nreference "), result::toString);
    }

    @Test
    void validateChecksConvolutionsOfTheReferenceAgainstItself() {
        Cli.Result result = Cli.run("validate", "--op", "conv2d", "--backend", "reference", "--quick", "--dtype", "fp32,int8");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("reference +INT8→FP32 NHWC 1×33×9×11 k17 1×1 s1,1 p0,0,0,0 d1,1 g1"
                + " +small_integers +0 \\(exact\\) +PASS")), result::toString);
        assertTrue(result.out().contains("validate: 16 of 16 checks passed, 0 failed, 0 not run (unsupported)"), result::toString);
    }

    @Test
    void validateFailsAWrongConvolutionAndChecksOnlyBackendsWithConvolutions() {
        System.setProperty(WrongBackendProvider.ENABLE, "true");
        Cli.Result result = Cli.run("validate", "--op", "conv2d", "--quick", "--dtype", "fp16");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains(WrongBackendProvider.NAME + "  FP16→"), result::toString);
        assertTrue(result.out().contains("elements outside the bound, first y[n=0,k=0,p=0,q=0]"), result::toString);
        assertFalse(result.out().contains("not run:"), "backends without conv2d kernels are left out: " + result);
    }

    @Test
    void validateRefusesAnUnavailableBackendWithExitCode3() {
        assertBadInput(Cli.run("validate", "--backend", WrongBackendProvider.NAME), 3,
                "k4j: unavailable: " + WrongBackendProvider.NAME + ": enabled only by the tests' system property");
    }

    @Test
    void benchMeasuresEveryDtypeAndWritesJson() throws IOException, ResultsFormatException {
        Path json = dir.resolve("bench.json");
        Cli.Result result = Cli.run("bench", "gemm", "--backend", "reference", "--sizes", "8,3x5x7", "--threads", "1,2",
                "--reps", "2", "--warmup", "0", "--peer", "none", "--json", json.toString());
        assertEquals(0, result.exitCode(), result::toString);
        for (String row : new String[] {"fp32→fp32 +8×8×8 +1 ", "fp16→fp32 +3×5×7 +2 ", "bf16→fp32 +8×8×8 +2 ", "int8→int32 +3×5×7 +1 "}) {
            assertTrue(result.out().lines().anyMatch(l -> l.matches(row + "+reference .*")), () -> row + " missing: " + result);
        }
        assertTrue(result.out().contains(" GOP/s"), result::toString);
        assertTrue(result.out().contains(" GFLOP/s"), result::toString);
        Results written = ResultsJson.read(json);
        assertEquals("bench", written.mode());
        assertEquals(16, written.measurements().size(), written::toString);
        assertTrue(written.measurements().stream().anyMatch(m -> m.dtype().equals("int8") && m.threads() == 2), written::toString);
        assertTrue(written.measurements().stream().allMatch(m -> m.op().equals("gemm") && m.ok()), written::toString);
    }

    @Test
    void benchPutsOpenBlasNextToOursWhenAskedFor() {
        try (OpenBlasPeer peer = OpenBlasPeer.open(1)) {
            if (!peer.availability().available()) {
                assertBadInput(Cli.run("bench", "gemm", "--sizes", "8", "--peer", "openblas"), 3, "unavailable: openblas: ");
            }
            Requirements.assumeAvailable("openblas", peer.availability());
        }
        Cli.Result result = Cli.run("bench", "gemm", "--backend", "reference", "--sizes", "16", "--dtype", "fp32,int8",
                "--threads", "1", "--reps", "1", "--warmup", "0", "--peer", "openblas");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("fp32→fp32") && l.contains("openblas cblas_sgemm") && l.endsWith("×")),
                result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("int8→int32") && l.matches(".*\\s-\\s+-\\s+-$")),
                () -> "no peer for INT8: " + result);
    }

    @Test
    void benchRunsTheJmhSuiteInProcess() {
        Cli.Result result = Cli.run("bench", "--jmh", "GemmBenchmark", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                "-p", "size=16", "-p", "dtype=fp32,int8", "-p", "threads=1", "-p", "implementation=naive");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("GemmBenchmark.gemm:gigaOps"), result::toString);
        assertTrue(result.out().contains("naive"), result::toString);
    }

    @Test
    void reportRefusesAnOutputThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertBadInput(Cli.run("report", "--out", file.toString()), 2, "--out: '" + file + "' exists and is not a directory");
    }
}
