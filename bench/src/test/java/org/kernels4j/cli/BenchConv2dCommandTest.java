package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.Results;
import org.kernels4j.report.ResultsJson;
import org.kernels4j.testing.Requirements;

/** {@code k4j bench conv2d} on a tiny layer file (the reference backend, one run per point): rows, totals, peer, refusals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchConv2dCommandTest {
    private static final String LAYERS = """
            # two tiny layers; the first occurs twice in its "network"
            name,C,H,W,K,R,S,stride,pad,dilation,groups,count
            pointwise,8,5,6,4,1,1,1,0,1,1,2
            spatial,3,7,7,5,3,3,2,1,1,1,1
            """;

    @TempDir
    Path dir;

    private Path layerFile() throws IOException {
        return Files.writeString(dir.resolve("tiny.csv"), LAYERS);
    }

    @Test
    void measuresEveryLayerAndTheSetsTotalPerDtypeAndBatchAndWritesJson() throws Exception {
        Path json = dir.resolve("conv.json");
        Cli.Result result = Cli.run("bench", "conv2d", "--backend", "reference", "--layers", layerFile().toString(),
                "--dtype", "fp32,int8", "--batch", "1,2", "--layout", "nchw", "--threads", "1", "--reps", "1", "--warmup", "0",
                "--peer", "none", "--json", json.toString());
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("k4j bench conv2d on "), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("fp32→fp32") && l.contains("pointwise N2 nchw")
                && l.contains("reference") && l.contains("GFLOP/s")), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("int8→int32") && l.contains("Σ tiny (3 convs) N1 nchw")
                && l.contains("GOP/s")), result::toString);
        Results written = ResultsJson.read(json);
        List<Measurement> rows = written.measurements();
        assertEquals(2 * 2 * 3, rows.size(), written::toString);
        assertTrue(rows.stream().allMatch(m -> m.op().equals("conv2d") && m.ok() && m.peer() == null), written::toString);
        Measurement pointwise = rows.get(0);
        Measurement spatial = rows.get(1);
        Measurement total = rows.get(2);
        assertEquals(2.0 * 1 * 4 * 8 * 30 * 1e-9, pointwise.workPerCall(), 1e-18);
        assertEquals(2.0 * 1 * 5 * 3 * 9 * 16 * 1e-9, spatial.workPerCall(), 1e-18);
        assertEquals(2 * pointwise.workPerCall() + spatial.workPerCall(), total.workPerCall(), 1e-18);
        assertEquals(2 * pointwise.medianSeconds() + spatial.medianSeconds(), total.medianSeconds(), 1e-12);
        assertEquals(total.workPerCall() / total.medianSeconds(), total.median(), 1e-9 * total.median());
        assertEquals("total_tiny", total.shape().name());
    }

    @Test
    void putsOneDnnNextToOursWithTheRatioWhenAskedFor() throws IOException {
        try (OneDnnPeer peer = OneDnnPeer.open(1)) {
            if (!peer.availability().available()) {
                Cli.assertRefused(dir, 3, "unavailable: onednn: ", List.of("bench", "conv2d", "--backend", "reference", "--layers",
                        layerFile().toString(), "--peer", "onednn"));
            }
            Requirements.assumeAvailable("onednn", peer.availability());
        }
        Cli.Result result = Cli.run("bench", "conv2d", "--backend", "reference", "--layers", layerFile().toString(),
                "--dtype", "fp32,int8", "--batch", "1", "--threads", "1", "--reps", "1", "--warmup", "0", "--peer", "onednn");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("fp32→fp32") && l.contains("spatial N1 nhwc")
                && l.contains("onednn ") && l.endsWith("×")), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("fp32→fp32") && l.contains("Σ tiny") && l.endsWith("×")),
                result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("int8→int32") && l.matches(".*\\s-\\s+-\\s+-$")),
                () -> "no peer for INT8: " + result);
    }

    @Test
    void theJmhSuiteRunsALayerInProcess() {
        String implementations;
        try (OneDnnPeer peer = OneDnnPeer.open(1)) {
            implementations = peer.availability().available() ? "vector-cpu,onednn" : "vector-cpu";
        }
        Cli.Result result = Cli.run("bench", "--jmh", "ConvBenchmark", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
                "-p", "layer=res5_branch2a", "-p", "dtype=fp32", "-p", "threads=1", "-p", "implementation=" + implementations);
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("ConvBenchmark.conv:gigaOps"), result::toString);
        assertTrue(result.out().contains(implementations.contains("onednn") ? "onednn" : "vector-cpu"), result::toString);
    }

    @Test
    void refusesBadOptionsWithOneLine() throws IOException {
        String layers = layerFile().toString();
        Path malformed = Files.writeString(dir.resolve("bad.csv"), "name,C,H,W,K,R,S,stride,pad,dilation,groups,count\nx,1,2\n");
        assertRefusal(2, "--layers: 'nosuch' is neither resnet50, deepbench nor a readable file", "--layers", "nosuch");
        assertRefusal(2, "--layers: " + malformed + ": csv: 'x,1,2' has 3 cells", "--layers", malformed.toString());
        assertRefusal(2, "--only: names: no layer 'conv9'", "--layers", layers, "--only", "conv9");
        assertRefusal(2, "--layout: 'nchwc' is not nchw or nhwc", "--layers", layers, "--layout", "nchwc");
        assertRefusal(2, "--peer: unknown peer 'cudnn' (onednn or none)", "--layers", layers, "--peer", "cudnn");
        assertRefusal(2, "--dtype: int32 is not a conv2d input dtype", "--layers", layers, "--dtype", "int32");
        assertRefusal(2, "--backend: unknown backend 'nosuch'", "--layers", layers, "--backend", "nosuch", "--peer", "none");
    }

    private void assertRefusal(int exit, String message, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("bench", "conv2d", "--threads", "1", "--reps", "1", "--warmup", "0"));
        args.addAll(List.of(options));
        Cli.assertRefused(dir, exit, message, args);
    }
}
