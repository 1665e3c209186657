package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.ExpectedInputs.rounded;
import static org.kernels4j.cli.ExpectedInputs.widened;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.io.IndependentRounding;
import org.kernels4j.io.NpyDType;
import org.kernels4j.ops.Conv2dSpec;

/**
 * {@code k4j run conv2d} in this JVM: results against a convolution computed here in double, term by term, from
 * independently rounded inputs and held to DESIGN.md's bound (INT8 exactly); and every kind of bad input refused
 * with exit 2 (3 for an unavailable backend), one line on stderr naming the problem, and no output file.
 */
class RunConv2dCommandTest {
    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(5);

    private CliFiles files() {
        return new CliFiles(dir);
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** The convolution and Σ|x·w| + |bias| per element, in y's layout order, written from the definition. */
    private static ExpectedOutput expected(Conv2dSpec spec, double[] x, double[] w, double[] bias) {
        int n = (int) spec.n();
        int c = (int) spec.c();
        int h = (int) spec.h();
        int wd = (int) spec.w();
        int k = (int) spec.k();
        int r = (int) spec.r();
        int s = (int) spec.s();
        int p = (int) spec.p();
        int q = (int) spec.q();
        int cg = c / (int) spec.groups();
        int kg = k / (int) spec.groups();
        boolean nhwc = spec.layout() == Layout.NHWC;
        double[] values = new double[n * k * p * q];
        double[] magnitudes = new double[values.length];
        for (int img = 0; img < n; img++) {
            for (int f = 0; f < k; f++) {
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < q; j++) {
                        double sum = bias == null ? 0 : bias[f];
                        double magnitude = Math.abs(sum);
                        for (int ch = 0; ch < cg; ch++) {
                            int channel = f / kg * cg + ch;
                            for (int a = 0; a < r; a++) {
                                int row = i * spec.strideH() - spec.padTop() + a * spec.dilationH();
                                for (int b = 0; b < s; b++) {
                                    int col = j * spec.strideW() - spec.padLeft() + b * spec.dilationW();
                                    if (row < 0 || row >= h || col < 0 || col >= wd) {
                                        continue;
                                    }
                                    double xv = nhwc ? x[((img * h + row) * wd + col) * c + channel] : x[((img * c + channel) * h + row) * wd + col];
                                    double wv = nhwc ? w[((f * r + a) * s + b) * cg + ch] : w[((f * cg + ch) * r + a) * s + b];
                                    sum += xv * wv;
                                    magnitude += Math.abs(xv * wv);
                                }
                            }
                        }
                        int e = nhwc ? ((img * p + i) * q + j) * k + f : ((img * k + f) * p + i) * q + j;
                        values[e] = sum;
                        magnitudes[e] = magnitude;
                    }
                }
            }
        }
        return new ExpectedOutput(values, magnitudes);
    }

    private static List<String> command(Path x, Path w, Path y, String... options) {
        List<String> line = new ArrayList<>(List.of("run", "conv2d", "--x", x.toString(), "--w", w.toString(), "--out", y.toString()));
        line.addAll(List.of(options));
        return line;
    }

    // ---- happy paths

    @Test
    void fp32InBothLayoutsWithBiasStridePaddingDilationAndGroups() throws IOException {
        for (Layout layout : Layout.values()) {
            Conv2dSpec spec = Conv2dSpec.builder().n(2).c(4).k(6).groups(2).inputSize(9, 8).filterSize(3, 2).stride(2, 1)
                    .padding(1, 0, 2, 1).dilation(1, 2).bias(true).layout(layout).build();
            float[] x = RandomValues.floats(random, count(spec.xShape()));
            float[] w = RandomValues.floats(random, count(spec.wShape()));
            float[] bias = RandomValues.floats(random, 6);
            Path y = dir.resolve("y-" + layout.cliName() + ".npy");
            List<String> line = command(files().floats("x.npy", DType.FP32, x, spec.xShape()), files().floats("w.npy", DType.FP32, w, spec.wShape()),
                    y, "--bias", files().floats("b.npy", DType.FP32, bias, 6).toString(), "--stride", "2,1", "--pad", "1,0,2,1",
                    "--dilation", "1,2", "--groups", "2", "--layout", layout.cliName());
            Cli.Result result = Cli.assertRan(line.toArray(String[]::new));
            assertTrue(result.out().startsWith("conv2d " + layout.cliName() + " x (2, "), result::toString);
            expected(spec, rounded(x, v -> v), rounded(w, v -> v), rounded(bias, v -> v))
                    .check(CliFiles.read(y, NpyDType.FLOAT32, spec.yShape()), spec);
        }
    }

    @Test
    void depthwiseWithSymmetricShorthands() throws IOException {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(10).k(10).groups(10).inputSize(11, 12).filterSize(3, 3).stride(2)
                .padding(1, 2).layout(Layout.NHWC).build();
        float[] x = RandomValues.floats(random, count(spec.xShape()));
        float[] w = RandomValues.floats(random, count(spec.wShape()));
        Path y = dir.resolve("y.npy");
        Cli.assertRan(command(files().floats("x.npy", DType.FP32, x, spec.xShape()), files().floats("w.npy", DType.FP32, w, spec.wShape()), y,
                "--stride", "2", "--pad", "1,2", "--groups", "10", "--layout", "NHWC").toArray(String[]::new));
        expected(spec, rounded(x, v -> v), rounded(w, v -> v), null).check(CliFiles.read(y, NpyDType.FLOAT32, spec.yShape()), spec);
    }

    @Test
    void fp16ComputeRoundsFloat32InputsAndCanWriteFloat16() throws IOException {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(5).k(3).inputSize(7, 6).filterSize(3, 3).padding(1).inputType(DType.FP16)
                .outputType(DType.FP16).build();
        float[] x = RandomValues.floats(random, count(spec.xShape()));
        float[] w = RandomValues.floats(random, count(spec.wShape()));
        Path y = dir.resolve("y16.npy");
        Cli.Result result = Cli.assertRan(command(files().floats("x.npy", DType.FP32, x, spec.xShape()), files().floats("w.npy", DType.FP32, w, spec.wShape()),
                y, "--pad", "1", "--dtype", "fp16", "--out-dtype", "fp16").toArray(String[]::new));
        assertTrue(result.out().contains("fp16→fp16"), result::toString);
        expected(spec, rounded(x, v -> IndependentRounding.toHalf((float) v)), rounded(w, v -> IndependentRounding.toHalf((float) v)), null)
                .check(CliFiles.read(y, NpyDType.FLOAT16, spec.yShape()), spec);
    }

    @Test
    void bf16ComputeWritesBf16ResultsAsFloat32() throws IOException {
        Conv2dSpec spec = Conv2dSpec.builder().n(2).c(3).k(4).inputSize(5, 9).filterSize(1, 3).bias(true).inputType(DType.BF16)
                .outputType(DType.BF16).build();
        float[] x = RandomValues.floats(random, count(spec.xShape()));
        float[] w = RandomValues.floats(random, count(spec.wShape()));
        float[] bias = RandomValues.floats(random, 4);
        Path y = dir.resolve("ybf.npy");
        Cli.assertRan(command(files().floats("x.npy", DType.FP32, x, spec.xShape()), files().floats("w.npy", DType.FP32, w, spec.wShape()), y,
                "--bias", files().floats("b.npy", DType.FP32, bias, 4).toString(), "--dtype", "bf16", "--out-dtype", "bf16")
                .toArray(String[]::new));
        double[] values = CliFiles.read(y, NpyDType.FLOAT32, spec.yShape());
        expected(spec, rounded(x, v -> IndependentRounding.toBfloat16((float) v)), rounded(w, v -> IndependentRounding.toBfloat16((float) v)),
                rounded(bias, v -> v)).check(values, spec);
        for (double v : values) {
            assertEquals(0, Float.floatToRawIntBits((float) v) & 0xffff, v + " is not a BF16 value");
        }
    }

    @Test
    void int8ComputeIsExactWithAnInt32OrInt8Bias() throws IOException {
        Conv2dSpec spec = Conv2dSpec.builder().n(2).c(6).k(4).groups(2).inputSize(6, 7).filterSize(3, 3).padding(1).stride(1, 2)
                .bias(true).inputType(DType.INT8).layout(Layout.NHWC).build();
        byte[] x = RandomValues.bytes(random, count(spec.xShape()));
        byte[] w = RandomValues.bytes(random, count(spec.wShape()));
        int[] bias = {2_000_000_000, -5, 7, -2_000_000_000};
        Path xFile = files().bytes("x8.npy", x, spec.xShape());
        Path wFile = files().bytes("w8.npy", w, spec.wShape());
        Path y = dir.resolve("y.npy");
        Cli.assertRan(command(xFile, wFile, y, "--bias", files().ints("b32.npy", bias, 4).toString(), "--pad", "1", "--stride", "1,2",
                "--groups", "2", "--layout", "nhwc").toArray(String[]::new));
        double[] biasValues = {bias[0], bias[1], bias[2], bias[3]};
        expected(spec, widened(x), widened(w), biasValues).checkExact(CliFiles.read(y, NpyDType.INT32, spec.yShape()));

        byte[] smallBias = {1, -2, 3, -4};
        Path y8 = dir.resolve("y8.npy");
        Cli.assertRan(command(xFile, wFile, y8, "--bias", files().bytes("b8.npy", smallBias, 4).toString(), "--pad", "1", "--stride", "1,2",
                "--groups", "2", "--layout", "nhwc").toArray(String[]::new));
        expected(spec, widened(x), widened(w), widened(smallBias)).checkExact(CliFiles.read(y8, NpyDType.INT32, spec.yShape()));
    }

    @Test
    void int8ComputeWithFloat32Output() throws IOException {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(3).k(2).inputSize(4, 4).filterSize(2, 2).inputType(DType.INT8)
                .outputType(DType.FP32).build();
        byte[] x = RandomValues.bytes(random, count(spec.xShape()));
        byte[] w = RandomValues.bytes(random, count(spec.wShape()));
        Path y = dir.resolve("y.npy");
        Cli.assertRan(command(files().bytes("x8.npy", x, spec.xShape()), files().bytes("w8.npy", w, spec.wShape()), y, "--out-dtype", "fp32")
                .toArray(String[]::new));
        expected(spec, widened(x), widened(w), null).check(CliFiles.read(y, NpyDType.FLOAT32, spec.yShape()), spec);
    }

    @Test
    void namesTheBackendThatRan() throws IOException {
        Path y = dir.resolve("y.npy");
        Cli.Result result = Cli.assertRan(command(files().floats("x.npy", DType.FP32, RandomValues.floats(random, 18), 1, 2, 3, 3),
                files().floats("w.npy", DType.FP32, RandomValues.floats(random, 8), 1, 2, 2, 2), y, "--backend", "reference", "--threads", "1")
                .toArray(String[]::new));
        assertTrue(result.out().startsWith("conv2d nchw x (1, 2, 3, 3) w (1, 2, 2, 2) fp32→fp32 ran on reference ("), result::toString);
        assertTrue(result.out().contains("wrote " + y + " (float32 (1, 1, 2, 2))"), result::toString);
    }

    // ---- bad input

    /** The fixture files every bad-input case may name (created fresh in each test's directory). */
    @BeforeEach
    void writeFixtures() throws IOException {
        CliFiles files = files();
        files.floats("x1433.npy", DType.FP32, RandomValues.floats(random, 36), 1, 4, 3, 3);
        files.floats("w2233.npy", DType.FP32, RandomValues.floats(random, 36), 2, 2, 3, 3);
        files.floats("w3233.npy", DType.FP32, RandomValues.floats(random, 54), 3, 2, 3, 3);
        files.floats("w2411.npy", DType.FP32, RandomValues.floats(random, 8), 2, 4, 1, 1);
        files.floats("w2455.npy", DType.FP32, RandomValues.floats(random, 200), 2, 4, 5, 5);
        files.floats("x0433.npy", DType.FP32, new float[0], 0, 4, 3, 3);
        files.floats("x433.npy", DType.FP32, RandomValues.floats(random, 36), 4, 3, 3);
        files.floats("w24.npy", DType.FP32, RandomValues.floats(random, 8), 2, 4);
        files.floats("b2.npy", DType.FP32, RandomValues.floats(random, 2), 2);
        files.floats("b5.npy", DType.FP32, RandomValues.floats(random, 5), 5);
        files.ints("bi2.npy", new int[2], 2);
        files.bytes("x8.npy", RandomValues.bytes(random, 36), 1, 4, 3, 3);
        files.bytes("w8.npy", RandomValues.bytes(random, 8), 2, 4, 1, 1);
        files.ints("x32.npy", new int[36], 1, 4, 3, 3);
        Files.createDirectory(dir.resolve("adir"));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("missing input file", 2, "--x: no such file '", "--x", "absent.npy", "--w", "w2411.npy"),
                bad("missing --w", 2, "run conv2d: option --w is required", "--x", "x1433.npy"),
                bad("directory as input", 2, "adir' is a directory, not an .npy file", "--x", "adir", "--w", "w2411.npy"),
                bad("x of rank 3", 2, "x433.npy has shape (4, 3, 3) (rank 3) but conv2d needs the rank-4 nchw input [N, C, H, W]",
                        "--x", "x433.npy", "--w", "w2411.npy"),
                bad("w of rank 2", 2, "w24.npy has shape (2, 4) (rank 2) but conv2d needs the rank-4 nhwc filters [K, R, S, C/groups]",
                        "--x", "x1433.npy", "--w", "w24.npy", "--layout", "nhwc"),
                bad("channels that do not match", 2, "w2233.npy has shape (2, 2, 3, 3) (nchw): 2 channels per filter, but --x ",
                        "--x", "x1433.npy", "--w", "w2233.npy"),
                bad("channels that do not match, continued", 2, "x1433.npy (1, 4, 3, 3) has 4 channels, so --groups 1 needs 4 per filter",
                        "--x", "x1433.npy", "--w", "w2233.npy"),
                bad("groups that do not divide C", 2, "has 4 channels, so --groups 3 needs 4/3 (not a whole number) per filter",
                        "--x", "x1433.npy", "--w", "w2233.npy", "--groups", "3"),
                bad("groups that do not divide K", 2, "run conv2d: k: 3 is not divisible by groups = 2 (--x ",
                        "--x", "x1433.npy", "--w", "w3233.npy", "--groups", "2"),
                bad("filter larger than the padded input", 2, "run conv2d: r: 5 taps with dilation 1 span 5, more than the padded"
                        + " input's 4 (h 3 + padTop 1 + padBottom 0): the output would be empty", "--x", "x1433.npy", "--w", "w2455.npy",
                        "--pad", "1,0,2,2"),
                bad("dilation makes the filter too large", 2, "run conv2d: r: 3 taps with dilation 2 span 5", "--x", "x1433.npy",
                        "--w", "w2233.npy", "--groups", "2", "--dilation", "2,1"),
                bad("empty batch", 2, "run conv2d: n: 0 is not positive", "--x", "x0433.npy", "--w", "w2411.npy"),
                bad("three paddings", 2, "--pad: '1,2,3' has 3 values; give 1 (all sides), 2 (vertical,horizontal) or 4", "--x",
                        "x1433.npy", "--w", "w2411.npy", "--pad", "1,2,3"),
                bad("negative padding", 2, "--pad: -1 is less than 0", "--x", "x1433.npy", "--w", "w2411.npy", "--pad", "-1"),
                bad("zero stride", 2, "--stride: 0 is less than 1", "--x", "x1433.npy", "--w", "w2411.npy", "--stride", "0"),
                bad("three strides", 2, "--stride: '1,2,3' has 3 values; give S or height,width", "--x", "x1433.npy", "--w",
                        "w2411.npy", "--stride", "1,2,3"),
                bad("dilation not a number", 2, "--dilation: 'two' is not a whole number", "--x", "x1433.npy", "--w", "w2411.npy",
                        "--dilation", "two"),
                bad("empty dilation item", 2, "--dilation: '2,' has an empty item", "--x", "x1433.npy", "--w", "w2411.npy",
                        "--dilation", "2,"),
                bad("zero groups", 2, "--groups: 0 is less than 1", "--x", "x1433.npy", "--w", "w2411.npy", "--groups", "0"),
                bad("unknown layout", 2, "--layout: 'nchwc' is not nchw or nhwc", "--x", "x1433.npy", "--w", "w2411.npy",
                        "--layout", "nchwc"),
                bad("unsupported out dtype", 2, "run conv2d: outputType: FP16 is not supported for inputType FP32", "--x", "x1433.npy",
                        "--w", "w2411.npy", "--out-dtype", "fp16"),
                bad("bias of the wrong length", 2, "b5.npy has shape (5,) but the bias must be [K] = (2,), one value per filter",
                        "--x", "x1433.npy", "--w", "w2411.npy", "--bias", "b5.npy"),
                bad("int bias for float compute", 2, "bi2.npy holds int32 data but the fp32 convolution needs a float bias",
                        "--x", "x1433.npy", "--w", "w2411.npy", "--bias", "bi2.npy"),
                bad("float bias for int8 compute", 2, "b2.npy holds float32 data but the int8 convolution needs an int32 (or int8) bias",
                        "--x", "x8.npy", "--w", "w8.npy", "--bias", "b2.npy"),
                bad("float filters with int8 input", 2, "w2411.npy holds float32 data but --dtype int8 (from --x) needs int8 data",
                        "--x", "x8.npy", "--w", "w2411.npy"),
                bad("int8 data with --dtype bf16", 2, "x8.npy holds int8 data but --dtype bf16 needs float data", "--x", "x8.npy",
                        "--w", "w8.npy", "--dtype", "bf16"),
                bad("int32 input data", 2, "x32.npy holds int32 data, which is not a conv2d input", "--x", "x32.npy", "--w", "w8.npy"),
                bad("int32 compute dtype", 2, "--dtype: int32 is not a conv2d input dtype", "--x", "x8.npy", "--w", "w8.npy",
                        "--dtype", "int32"),
                bad("unknown option", 2, "run conv2d: unknown option '--padding' (known: ", "--x", "x1433.npy", "--w", "w2411.npy",
                        "--padding", "1"),
                bad("unknown backend", 2, "--backend: unknown backend 'tpu' (known: ", "--x", "x1433.npy", "--w", "w2411.npy",
                        "--backend", "tpu"),
                bad("unavailable backend", 3, "unavailable: " + WrongBackendProvider.NAME + ": enabled only by the tests",
                        "--x", "x1433.npy", "--w", "w2411.npy", "--backend", WrongBackendProvider.NAME));
    }

    private static Arguments bad(String name, int exit, String message, String... args) {
        return Arguments.of(name, exit, message, List.of(args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void refusesBadInput(String name, int exit, String message, List<String> args) throws IOException {
        files().assertRefused(List.of("run", "conv2d"), exit, message, args, "y.npy");
    }

    @Test
    void leavesAnExistingOutputUntouchedOnBadInput() throws IOException {
        Path y = Files.writeString(dir.resolve("y.npy"), "previous result");
        files().assertRefused(List.of("run", "conv2d"), 2, "channels per filter", List.of("--x", "x1433.npy", "--w", "w2233.npy"), "y.npy");
        assertEquals("previous result", Files.readString(y));
    }
}
