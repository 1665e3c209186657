package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.report.DeviceStatus;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.ReportHtml;
import org.kernels4j.report.Results;
import org.kernels4j.report.ResultsFormatException;
import org.kernels4j.report.ResultsJson;
import org.kernels4j.testing.Requirements;

/** {@code k4j report} end to end on the tiny shape set: the files, the page's sections and images, a backend failing mid-run. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReportCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern FIGURE = Pattern.compile("<a href=\"([^\"]+)\"><img src=\"data:image/png;base64,([^\"]+)\"");

    @TempDir
    Path dir;

    @BeforeEach
    void tinyShapes() {
        System.setProperty(ReportPlan.TINY, "true");
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(ReportPlan.TINY);
        System.clearProperty(FailingBackendProvider.ENABLE);
    }

    /**
     * oneDNN is listed as a peer; when it is here, FP32 rows carry its rate and the ratio, which the conv2d peer-ratio plot
     * draws, else a note says why not.
     */
    private static void assertConvolutionsHaveOneDnnWhereItCanRunThem(Results results, List<Measurement> convolutions, Path out) {
        DeviceStatus onednn = results.devices().stream().filter(d -> d.backend().equals(OneDnnPeer.NAME)).findFirst().orElseThrow();
        assertEquals(DeviceStatus.PEER, onednn.role());
        if (!onednn.available()) {
            assertTrue(results.notes().contains("conv2d has no peer: " + onednn.reason()), results.notes()::toString);
            return;
        }
        List<Measurement> fp32 = convolutions.stream().filter(m -> m.dtype().equals("fp32")).toList();
        assertFalse(fp32.isEmpty(), convolutions::toString);
        assertTrue(fp32.stream().allMatch(m -> m.peer() != null && m.peer().name().startsWith(OneDnnPeer.NAME + " ")
                && m.peerRatio() != null && m.peerRatio() > 0), fp32::toString);
        assertTrue(plots(out).contains("peers-conv2d.png"), () -> plots(out).toString());
    }

    @Test
    void writesThePageTheResultsTheTextAndThePlots() throws IOException, ResultsFormatException {
        Path out = dir.resolve("report");
        Cli.Result result = Cli.run("report", "--out", out.toString(), "--dtype", "fp32,bf16");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("kernels4j report (tiny), "), result::toString);
        assertTrue(result.out().contains("Validation against the reference"), result::toString);
        assertTrue(result.out().contains("GEMM throughput"), result::toString);
        assertTrue(result.out().contains("bf16→fp32"), result::toString);
        assertEquals(List.of("k4j report: wrote " + out.resolve("index.html") + " (open it in a browser), results.json, report.txt and "
                + plots(out).size() + " plots"), result.errLines().stream().filter(l -> !l.startsWith("WARNING")).toList());
        assertEquals(result.out(), Files.readString(out.resolve("report.txt")));

        Results results = ResultsJson.read(out.resolve("results.json"));
        assertEquals("tiny", results.mode());
        assertFalse(results.measurements().isEmpty());
        assertTrue(results.measurements().stream().allMatch(Measurement::ok), results.measurements()::toString);
        assertTrue(results.measurements().stream().allMatch(m -> m.dtype().equals("fp32") || m.dtype().equals("bf16")));
        assertTrue(results.machine().cpu().logicalProcessors() >= 1);
        assertEquals(List.of("fp32:8 B", "fp32:64 KiB", "bf16:8 B", "bf16:64 KiB"), results.measurements().stream()
                .filter(m -> m.op().equals(ReportAllReduce.OP)).map(m -> m.dtype() + ":" + m.shape().label()).toList());
        List<Measurement> convolutions = results.measurements().stream().filter(m -> m.op().equals(ReportConv2d.OP)).toList();
        assertTrue(convolutions.stream().allMatch(m -> m.shape().label().equals("tiny_3x3, N=1") && m.bytesPerCall() > 0), convolutions::toString);
        assertEquals(results.measurements().stream().filter(m -> m.op().equals("gemm")).map(Measurement::backend).distinct()
                .filter(b -> results.validation().stream().anyMatch(c -> c.op().equals("conv2d") && c.backend().equals(b))).toList(),
                convolutions.stream().map(Measurement::backend).distinct().toList(), "every measured backend with convolutions is timed");
        assertConvolutionsHaveOneDnnWhereItCanRunThem(results, convolutions, out);
        assertTrue(results.machine().gpus().stream().anyMatch(g -> g.backend().equals("cuda")), "CUDA is listed, with its reason if absent");
        assertTrue(results.devices().stream().anyMatch(d -> d.backend().equals("mpi") && d.role().equals(DeviceStatus.PEER)),
                "MPI_Allreduce is listed as a peer, with its reason if absent");
        assertTrue(results.notes().contains("all-reduce over MPI and its peer MPI_Allreduce not measured: not in this mode"), results.notes()::toString);

        String html = Files.readString(out.resolve("index.html"));
        for (String section : List.of(ReportHtml.MACHINE, ReportHtml.BACKENDS, ReportHtml.VALIDATION, ReportHtml.FAILURES,
                "throughput-gemm", "throughput-allreduce", ReportHtml.PLOTS, ReportHtml.NOTES)) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), () -> "section " + section + " missing");
        }
        assertFalse(html.contains("http://"), "the page must not refer to another host");
        assertFalse(html.contains("https://"), "the page must not refer to another host");
        assertFalse(html.contains("<script"), "the page needs no script");
        assertImagesAreEmbeddedAndBesideThePage(html, out);
        assertTrue(plots(out).contains("throughput-gemm-fp32.png"), () -> plots(out).toString());
        assertTrue(plots(out).contains("roofline-gemm.png"), () -> plots(out).toString());
        assertTrue(plots(out).containsAll(List.of("busbw-allreduce-fp32.png", "busbw-allreduce-bf16.png")), () -> plots(out).toString());
        assertTrue(html.contains("Accelerators (what the CUDA driver and the OpenCL platforms report)"), "the accelerators table");
    }

    /** Every image is a PNG embedded in the page, linking to the same PNG beside it. */
    private static void assertImagesAreEmbeddedAndBesideThePage(String html, Path out) throws IOException {
        int images = html.split("<img ", -1).length - 1;
        Matcher figure = FIGURE.matcher(html);
        List<String> linked = new ArrayList<>();
        while (figure.find()) {
            Path file = out.resolve(figure.group(1));
            assertTrue(Files.isRegularFile(file), () -> file + " is linked but missing");
            byte[] png = Files.readAllBytes(file);
            assertTrue(png.length > PNG_SIGNATURE.length, () -> file + " is empty");
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length), () -> file + " is not a PNG");
            assertArrayEquals(png, Base64.getDecoder().decode(figure.group(2)), () -> file + " differs from the embedded image");
            linked.add(figure.group(1));
        }
        assertTrue(images > 0, "no image in the page");
        assertEquals(images, linked.size(), "every <img> must embed a PNG and link to its file");
        assertEquals(plots(out), linked.stream().sorted().toList(), "every PNG beside the page is shown");
    }

    private static List<String> plots(Path out) {
        try (var files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aBackendFailingMidRunIsMarkedAndTheRestGoesOn() throws IOException, ResultsFormatException {
        try (Kernels kernels = Kernels.open()) {
            Availability vector = kernels.devices().stream().filter(d -> d.backend().equals("vector-cpu")).map(Device::availability)
                    .findFirst().orElse(Availability.no("no vector-cpu backend on the class path"));
            Requirements.assumeAvailable("vector-cpu", vector);
        }
        System.setProperty(FailingBackendProvider.ENABLE, "true");
        Path out = dir.resolve("report");
        Cli.Result result = Cli.run("report", "--quiet", "--out", out.toString(), "--dtype", "fp32",
                "--backend", "vector-cpu," + FailingBackendProvider.NAME);
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("", result.out(), "--quiet prints no report");

        Results results = ResultsJson.read(out.resolve("results.json"));
        List<Measurement> failing = results.measurements().stream().filter(m -> m.backend().equals(FailingBackendProvider.NAME)).toList();
        assertEquals(List.of(Measurement.OK, Measurement.FAILED), failing.stream().map(Measurement::status).toList(), failing::toString);
        assertTrue(failing.get(1).message().contains(FailingBackendProvider.FAILURE), failing::toString);
        assertEquals(2, results.measurements().stream().filter(m -> m.op().equals("gemm") && m.backend().equals("vector-cpu") && m.ok()).count(),
                "the other backend is measured on every shape, before and after the failure");
        assertTrue(results.validation().stream().anyMatch(c -> c.backend().equals(FailingBackendProvider.NAME) && c.outcome().equals("FAIL")));

        String html = Files.readString(out.resolve("index.html"));
        String failures = html.substring(html.indexOf("<section id=\"failures\">"), html.indexOf("</section>", html.indexOf("<section id=\"failures\">")));
        assertTrue(failures.contains("FAILED: java.lang.IllegalStateException: " + FailingBackendProvider.FAILURE), failures);
        assertTrue(Files.readString(out.resolve("report.txt")).contains("Failed while measuring (the other measurements went on)"));
    }

    @Test
    void includesTheRowsOfAJmhFile() throws IOException, ResultsFormatException {
        Path jmh = dir.resolve("jmh.json");
        Cli.Result bench = Cli.run("bench", "--jmh", "GemmBenchmark", "-f", "0", "-wi", "0", "-i", "2", "-r", "100ms",
                "-p", "size=16", "-p", "dtype=fp32", "-p", "threads=1", "-p", "implementation=naive", "-rf", "json", "-rff", jmh.toString());
        assertEquals(0, bench.exitCode(), bench::toString);
        Path out = dir.resolve("report");
        Cli.Result result = Cli.run("report", "--out", out.toString(), "--dtype", "fp32", "--backend", "reference", "--jmh", jmh.toString());
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.matches("fp32→fp32 +16×16×16 +1 +naive \\(jmh\\) +[0-9.]+ GFLOP/s .*")), result::toString);
        Measurement row = ResultsJson.read(out.resolve("results.json")).measurements().stream()
                .filter(m -> m.source().equals(Measurement.SOURCE_JMH)).findFirst().orElseThrow();
        assertEquals(List.of("naive", "fp32", 1, 2), List.of(row.backend(), row.dtype(), row.threads(), row.runs()));
        assertTrue(row.median() > 0 && row.low() <= row.median() && row.median() <= row.high(), row::toString);
    }

    @Test
    void refusesConflictingModesAndUnreadableJmhFiles() {
        Cli.Result both = Cli.run("report", "--quick", "--full", "--out", dir.toString());
        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.err().contains("report: --quick and --full exclude each other"), both::toString);
        Cli.Result jmh = Cli.run("report", "--jmh", dir.resolve("missing.json").toString(), "--out", dir.toString());
        assertEquals(2, jmh.exitCode(), jmh::toString);
        assertTrue(jmh.err().contains("--jmh: " + dir.resolve("missing.json") + ": no such file"), jmh::toString);
    }
}
