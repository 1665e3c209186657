package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.report.ComparisonReport;
import org.kernels4j.report.ResultsFixtures;
import org.kernels4j.report.ResultsJson;

/** {@code k4j compare} on a two-core machine's results and a 56-core Xeon's (a fixture), and on bad inputs. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private Path laptop() throws IOException {
        return Files.writeString(dir.resolve("laptop.json"), ResultsJson.write(ResultsFixtures.laptopResults(List.of(
                ResultsFixtures.gemm("vector-cpu", "fp32", 256, 2, 60, 70),
                ResultsFixtures.gemm("vector-cpu", "bf16", 256, 2, 90, 0),
                ResultsFixtures.gemm("vector-cpu", "int8", 256, 2, 120, 0),
                ResultsFixtures.gemm("vector-cpu", "fp32", 1024, 2, 80, 0)))));
    }

    private Path xeon() throws IOException {
        return Files.writeString(dir.resolve("xeon.json"), ResultsFixtures.xeonJson());
    }

    private static void assertBadInput(Cli.Result result, String message) {
        assertEquals(2, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), () -> "one line on stderr: " + result);
        assertTrue(result.err().contains(message), () -> "stderr should contain '" + message + "': " + result);
    }

    @Test
    void putsMachinesSideBySideWithSpeedUpsAndDtypeGains() throws IOException {
        Path out = dir.resolve("compare");
        Cli.Result result = Cli.run("compare", laptop().toString(), xeon().toString(), "--out", out.toString());
        assertEquals(0, result.exitCode(), result::toString);
        // Both ran 256³ on all their processors (2 and 112): the rows match, B / A = 1800 / 60.
        assertTrue(result.out().lines().anyMatch(l -> l.matches("gemm +fp32→fp32 +256×256×256 +vector-cpu +all +GFLOP/s +60 +1800 +30\\.00×")),
                result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("gemm +int8→int32 +256×256×256 +vector-cpu +all +GOP/s +120 +4100 +34\\.17×")),
                result::toString);
        // A row only one input has shows "-" for the other.
        assertTrue(result.out().lines().anyMatch(l -> l.matches("gemm +fp32→fp32 +1024×1024×1024 +vector-cpu +all +GFLOP/s +80 +- +-")),
                result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("gemm +fp32→fp32 +512×512×512 +vector-cpu +1 +GFLOP/s +- +121 +-")),
                result::toString);
        // Gains over FP32: laptop bf16 90/60, int8 120/60; Xeon bf16 geometric mean of 2900/1800 and 7100/3900.
        assertTrue(result.out().lines().anyMatch(l -> l.matches("A +vector-cpu +bf16 +1\\.50×")), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("A +vector-cpu +int8 +2\\.00×")), result::toString);
        double xeonBf16 = Math.sqrt(2900.0 / 1800 * (7100.0 / 3900));
        assertTrue(result.out().contains(String.format(Locale.ROOT, "%.2f×", xeonBf16)), result::toString);
        assertTrue(result.out().contains("Intel(R) Xeon(R) Platinum 8480+"), result::toString);

        String html = Files.readString(out.resolve("index.html"));
        for (String section : List.of(ComparisonReport.INPUTS, ComparisonReport.RATES, ComparisonReport.GAINS, ComparisonReport.PLOTS)) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), section);
        }
        assertFalse(html.contains("http://") || html.contains("https://"), "no external reference");
        for (String plot : List.of("compare-gemm-fp32.png", "compare-gemm-bf16.png", "compare-gemm-int8.png", "compare-gains.png")) {
            assertTrue(Files.size(out.resolve(plot)) > 0, plot);
            assertTrue(html.contains("<a href=\"" + plot + "\"><img src=\"data:image/png;base64,"), plot);
        }
    }

    @Test
    void refusesAnotherSchemaVersion() throws IOException {
        Path newer = Files.writeString(dir.resolve("newer.json"), ResultsFixtures.xeonJson().replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));
        assertBadInput(Cli.run("compare", laptop().toString(), newer.toString()),
                "k4j: compare: " + newer + ": schema version 2, but this k4j reads version 1 only");
    }

    @Test
    void refusesFilesItCannotUse() throws IOException {
        Path laptop = laptop();
        assertBadInput(Cli.run("compare", laptop.toString()), "compare: give at least two results files (got 1)");
        assertBadInput(Cli.run("compare", laptop.toString(), dir.resolve("absent.json").toString()), "absent.json: no such file");
        Path text = Files.writeString(dir.resolve("report.txt"), "kernels4j report\n");
        assertBadInput(Cli.run("compare", laptop.toString(), text.toString()), "report.txt: not JSON (");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"benchmarks\": []}");
        assertBadInput(Cli.run("compare", laptop.toString(), other.toString()), "other.json: not a kernels4j results file");
        Path truncated = Files.writeString(dir.resolve("truncated.json"), ResultsFixtures.xeonJson().replace("\"machine\":", "\"machinery\":"));
        assertBadInput(Cli.run("compare", laptop.toString(), truncated.toString()), "truncated.json: machine: missing");
        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertBadInput(Cli.run("compare", laptop.toString(), laptop.toString(), "--out", file.toString()),
                "--out: '" + file + "' exists and is not a directory");
    }
}
