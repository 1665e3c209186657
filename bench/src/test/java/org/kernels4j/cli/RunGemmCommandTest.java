package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.ExpectedInputs.rounded;
import static org.kernels4j.cli.ExpectedInputs.widened;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.kernels4j.io.IndependentRounding;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyFiles;
import org.kernels4j.ops.GemmSpec;

/**
 * {@code k4j run gemm} in this JVM: results against a product computed here in double from independently
 * rounded inputs, held to DESIGN.md's bound; and every kind of bad input refused with exit 2 (3 for an
 * unavailable backend), one line on stderr naming the problem, and no output file.
 */
class RunGemmCommandTest {
    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(11);

    // ---- inputs

    private Path writeFloats(String name, DType as, float[] values, long... shape) throws IOException {
        return new CliFiles(dir).floats(name, as, values, shape);
    }

    private Path writeBytes(String name, byte[] values, long... shape) throws IOException {
        return new CliFiles(dir).bytes(name, values, shape);
    }

    private Path writeInts(String name, int[] values, long... shape) throws IOException {
        return new CliFiles(dir).ints(name, values, shape);
    }

    private static double[] read(Path file, NpyDType expectedType, long... expectedShape) throws IOException {
        return CliFiles.read(file, expectedType, expectedShape);
    }

    /** alpha·op(A)·op(B) + beta·C and Σ|alpha·a·b| + |beta·c| per element, in double, from already-rounded inputs. */
    private static ExpectedOutput expected(double[] a, boolean transA, double[] b, boolean transB, double[] c, int m, int n,
                                           int k, double alpha, double beta) {
        double[] values = new double[m * n];
        double[] magnitudes = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * m + i] : a[i * k + p];
                    double y = transB ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                    magnitude += Math.abs(x * y);
                }
                double cij = c == null ? 0 : c[i * n + j];
                values[i * n + j] = alpha * sum + beta * cij;
                magnitudes[i * n + j] = Math.abs(alpha) * magnitude + Math.abs(beta * cij);
            }
        }
        return new ExpectedOutput(values, magnitudes);
    }

    private static GemmSpec spec(int m, int n, int k, DType in, DType out) {
        return GemmSpec.builder().m(m).n(n).k(k).inputType(in).outputType(out).build();
    }

    // ---- happy paths

    @Test
    void fp32WithAlphaBetaAndC() throws IOException {
        int m = 5;
        int n = 7;
        int k = 9;
        float[] a = RandomValues.floats(random, m * k);
        float[] b = RandomValues.floats(random, k * n);
        float[] c = RandomValues.floats(random, m * n);
        Path y = dir.resolve("y.npy");
        Cli.assertRan("run", "gemm", "--a", writeFloats("a.npy", DType.FP32, a, m, k).toString(),
                "--b", writeFloats("b.npy", DType.FP32, b, k, n).toString(), "--c", writeFloats("c.npy", DType.FP32, c, m, n).toString(),
                "--alpha", "0.5", "--beta", "2", "--out", y.toString());
        expected(rounded(a, v -> v), false, rounded(b, v -> v), false, rounded(c, v -> v), m, n, k, 0.5, 2)
                .check(read(y, NpyDType.FLOAT32, m, n), spec(m, n, k, DType.FP32, DType.FP32));
    }

    @Test
    void fp32FromFloat64AndFloat16DataWithTransposes() throws IOException {
        int m = 6;
        int n = 3;
        int k = 11;
        double[] a64 = new double[k * m];
        for (int i = 0; i < a64.length; i++) {
            a64[i] = random.nextDouble(-1, 1);
        }
        Path a = NpyFiles.write(dir, "a64.npy", NpyFiles.float64(a64, k, m));
        float[] b = RandomValues.floats(random, n * k);
        float[] bHalf = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            bHalf[i] = IndependentRounding.toHalf(b[i]);
        }
        Path y = dir.resolve("y.npy");
        Cli.Result result = Cli.assertRan("run", "gemm", "--a", a.toString(), "--trans-a", "--b",
                writeFloats("b16.npy", DType.FP16, bHalf, n, k).toString(), "--trans-b", "--dtype", "fp32", "--out", y.toString());
        assertTrue(result.out().contains("fp32→fp32"), result::toString);
        double[] aRounded = new double[a64.length];
        for (int i = 0; i < a64.length; i++) {
            aRounded[i] = (float) a64[i];
        }
        expected(aRounded, true, rounded(bHalf, v -> v), true, null, m, n, k, 1, 0)
                .check(read(y, NpyDType.FLOAT32, m, n), spec(m, n, k, DType.FP32, DType.FP32));
    }

    @Test
    void fp16ComputeRoundsFloat32InputsToNearestEven() throws IOException {
        int m = 4;
        int n = 5;
        int k = 33;
        float[] a = RandomValues.floats(random, m * k);
        float[] b = RandomValues.floats(random, k * n);
        Path aFile = writeFloats("a.npy", DType.FP32, a, m, k);
        Path bFile = writeFloats("b.npy", DType.FP32, b, k, n);
        ExpectedOutput expected = expected(rounded(a, v -> IndependentRounding.toHalf((float) v)), false,
                rounded(b, v -> IndependentRounding.toHalf((float) v)), false, null, m, n, k, 1, 0);

        Path y32 = dir.resolve("y32.npy");
        Cli.assertRan("run", "gemm", "--a", aFile.toString(), "--b", bFile.toString(), "--dtype", "fp16", "--out", y32.toString());
        expected.check(read(y32, NpyDType.FLOAT32, m, n), spec(m, n, k, DType.FP16, DType.FP32));

        Path y16 = dir.resolve("y16.npy");
        Cli.assertRan("run", "gemm", "--a", aFile.toString(), "--b", bFile.toString(), "--dtype", "fp16", "--out-dtype", "fp16",
                "--out", y16.toString());
        expected.check(read(y16, NpyDType.FLOAT16, m, n), spec(m, n, k, DType.FP16, DType.FP16));
    }

    @Test
    void bf16ComputeWritesBf16ResultsAsFloat32() throws IOException {
        int m = 3;
        int n = 8;
        int k = 17;
        float[] a = RandomValues.floats(random, m * k);
        float[] b = RandomValues.floats(random, k * n);
        Path aFile = writeFloats("a.npy", DType.FP32, a, m, k);
        Path bFile = writeFloats("b.npy", DType.FP32, b, k, n);
        ExpectedOutput expected = expected(rounded(a, v -> IndependentRounding.toBfloat16((float) v)), false,
                rounded(b, v -> IndependentRounding.toBfloat16((float) v)), false, null, m, n, k, 1, 0);

        Path y32 = dir.resolve("y32.npy");
        Cli.assertRan("run", "gemm", "--a", aFile.toString(), "--b", bFile.toString(), "--dtype", "bf16", "--out", y32.toString());
        expected.check(read(y32, NpyDType.FLOAT32, m, n), spec(m, n, k, DType.BF16, DType.FP32));

        Path ybf = dir.resolve("ybf.npy");
        Cli.assertRan("run", "gemm", "--a", aFile.toString(), "--b", bFile.toString(), "--dtype", "bf16", "--out-dtype", "bf16",
                "--out", ybf.toString());
        double[] values = read(ybf, NpyDType.FLOAT32, m, n);
        expected.check(values, spec(m, n, k, DType.BF16, DType.BF16));
        for (double v : values) {
            assertEquals(0, Float.floatToRawIntBits((float) v) & 0xffff, v + " is not a BF16 value");
        }
    }

    @Test
    void int8ComputeIsExactInInt32WithCAlphaBetaAndTranspose() throws IOException {
        int m = 7;
        int n = 6;
        int k = 70;
        byte[] a = RandomValues.bytes(random, m * k);
        byte[] b = RandomValues.bytes(random, n * k);
        int[] c = new int[m * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextInt(-1_000_000, 1_000_000);
        }
        Path y = dir.resolve("y.npy");
        Cli.assertRan("run", "gemm", "--a", writeBytes("a8.npy", a, m, k).toString(), "--b", writeBytes("b8.npy", b, n, k).toString(),
                "--trans-b", "--c", writeInts("c32.npy", c, m, n).toString(), "--alpha", "2", "--beta", "-1", "--out", y.toString());
        double[] actual = read(y, NpyDType.INT32, m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[j * k + p];
                }
                assertEquals((int) (2 * sum - c[i * n + j]), actual[i * n + j], "element " + i + "," + j);
            }
        }
    }

    @Test
    void int8ComputeWithFloat32OutputIsTheScaledPath() throws IOException {
        int m = 3;
        int n = 4;
        int k = 9;
        byte[] a = RandomValues.bytes(random, m * k);
        byte[] b = RandomValues.bytes(random, k * n);
        Path y = dir.resolve("y.npy");
        Cli.assertRan("run", "gemm", "--a", writeBytes("a8.npy", a, m, k).toString(), "--b", writeBytes("b8.npy", b, k, n).toString(),
                "--out-dtype", "fp32", "--alpha", "0.25", "--out", y.toString());
        expected(widened(a), false, widened(b), false, null, m, n, k, 0.25, 0)
                .check(read(y, NpyDType.FLOAT32, m, n), GemmSpec.builder().m(m).n(n).k(k).alpha(0.25f)
                        .inputType(DType.INT8).outputType(DType.FP32).build());
    }

    @Test
    void emptyAndZeroReductionProducts() throws IOException {
        Path y = dir.resolve("y.npy");
        Cli.assertRan("run", "gemm", "--a", writeFloats("a.npy", DType.FP32, new float[0], 0, 3).toString(),
                "--b", writeFloats("b.npy", DType.FP32, RandomValues.floats(random, 12), 3, 4).toString(), "--out", y.toString());
        assertEquals(0, read(y, NpyDType.FLOAT32, 0, 4).length);

        float[] c = RandomValues.floats(random, 6);
        Path yk = dir.resolve("yk.npy");
        Cli.assertRan("run", "gemm", "--a", writeFloats("a0.npy", DType.FP32, new float[0], 2, 0).toString(),
                "--b", writeFloats("b0.npy", DType.FP32, new float[0], 0, 3).toString(),
                "--c", writeFloats("c.npy", DType.FP32, c, 2, 3).toString(), "--beta", "1.5", "--out", yk.toString());
        double[] actual = read(yk, NpyDType.FLOAT32, 2, 3);
        for (int i = 0; i < c.length; i++) {
            assertEquals((float) (1.5 * c[i]), actual[i], 0, "k = 0 gives beta·C");
        }
    }

    @Test
    void namesTheBackendThatRan() throws IOException {
        Path y = dir.resolve("y.npy");
        Cli.Result result = Cli.assertRan("run", "gemm", "--backend", "reference", "--a", writeFloats("a.npy", DType.FP32, RandomValues.floats(random, 4), 2, 2).toString(),
                "--b", writeFloats("b.npy", DType.FP32, RandomValues.floats(random, 4), 2, 2).toString(), "--threads", "1", "--out", y.toString());
        assertTrue(result.out().startsWith("gemm 2×2×2 fp32→fp32 ran on reference ("), result::toString);
        assertTrue(result.out().contains("wrote " + y + " (float32 (2, 2))"), result::toString);
    }

    // ---- bad input

    /** The fixture files every bad-input case may name (created fresh in each test's directory). */
    @BeforeEach
    void writeFixtures() throws IOException {
        writeFloats("a23.npy", DType.FP32, RandomValues.floats(random, 6), 2, 3);
        writeFloats("b34.npy", DType.FP32, RandomValues.floats(random, 12), 3, 4);
        writeFloats("b44.npy", DType.FP32, RandomValues.floats(random, 16), 4, 4);
        writeFloats("c24.npy", DType.FP32, RandomValues.floats(random, 8), 2, 4);
        writeFloats("c22.npy", DType.FP32, RandomValues.floats(random, 4), 2, 2);
        writeBytes("a8.npy", RandomValues.bytes(random, 6), 2, 3);
        writeBytes("b8.npy", RandomValues.bytes(random, 12), 3, 4);
        writeInts("i32.npy", new int[6], 2, 3);
        writeFloats("vec.npy", DType.FP32, RandomValues.floats(random, 5), 5);
        writeFloats("cube.npy", DType.FP32, RandomValues.floats(random, 24), 2, 3, 4);
        Files.writeString(dir.resolve("text.npy"), "1,2,3\n4,5,6\n");
        byte[] whole = Files.readAllBytes(dir.resolve("b34.npy"));
        Files.write(dir.resolve("truncated.npy"), java.util.Arrays.copyOf(whole, whole.length - 4));
        for (String fixture : List.of("complex64_2.npy", "int64_3.npy", "fortran_2x3.npy", "bigendian_2.npy")) {
            NpyFiles.copyFixture(dir, fixture);
        }
        Files.createDirectory(dir.resolve("adir"));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("missing file", 2, "--a: no such file '", "--a", "absent.npy", "--b", "b34.npy"),
                bad("not an .npy", 2, "text.npy: not an .npy file", "--a", "text.npy", "--b", "b34.npy"),
                bad("a directory as input", 2, "adir' is a directory, not an .npy file", "--a", "adir", "--b", "b34.npy"),
                bad("unsupported dtype complex64", 2, "unsupported dtype '<c8' (expected float32, float16, float64, int8 or int32)",
                        "--a", "a23.npy", "--b", "complex64_2.npy"),
                bad("unsupported dtype int64", 2, "unsupported dtype '<i8'", "--a", "int64_3.npy", "--b", "b34.npy"),
                bad("fortran order", 2, "Fortran-order (column-major) arrays are not supported", "--a", "fortran_2x3.npy", "--b", "b34.npy"),
                bad("big-endian", 2, "unsupported dtype '>f4': big-endian", "--a", "bigendian_2.npy", "--b", "b34.npy"),
                bad("truncated", 2, "truncated data: shape (3, 4) of float32 needs 48 bytes, the file holds 44",
                        "--a", "a23.npy", "--b", "truncated.npy"),
                bad("rank 1", 2, "vec.npy has shape (5,) (rank 1) but GEMM needs a matrix (rank 2)", "--a", "vec.npy", "--b", "b34.npy"),
                bad("rank 3", 2, "cube.npy has shape (2, 3, 4) (rank 3) but GEMM needs a matrix", "--a", "a23.npy", "--b", "cube.npy"),
                bad("inner dimensions", 2, "inner dimensions differ: op(A) from --a", "--a", "a23.npy", "--b", "b44.npy"),
                bad("inner dimensions with transpose", 2, "(2, 3) transposed is 3×2 and op(B)", "--a", "a23.npy", "--trans-a",
                        "--b", "b34.npy"),
                bad("C of the wrong shape", 2, "c22.npy has shape (2, 2) but C must be m×n = 2×4",
                        "--a", "a23.npy", "--b", "b34.npy", "--c", "c22.npy"),
                bad("int8 data with a float dtype", 2, "a8.npy holds int8 data but --dtype fp32 needs float data",
                        "--a", "a8.npy", "--b", "b8.npy", "--dtype", "fp32"),
                bad("float data with --dtype int8", 2, "a23.npy holds float32 data but --dtype int8 needs int8 data",
                        "--a", "a23.npy", "--b", "b34.npy", "--dtype", "int8"),
                bad("float B after int8 A", 2, "b34.npy holds float32 data but --dtype int8 (from --a) needs int8 data",
                        "--a", "a8.npy", "--b", "b34.npy"),
                bad("int32 data as A", 2, "i32.npy holds int32 data, which is not a GEMM input", "--a", "i32.npy", "--b", "b8.npy"),
                bad("float C with int8 compute", 2, "c24.npy holds float32 data but the int32 output needs int8 or int32 data",
                        "--a", "a8.npy", "--b", "b8.npy", "--c", "c24.npy"),
                bad("unknown backend", 2, "--backend: unknown backend 'tpu' (known: ", "--a", "a23.npy", "--b", "b34.npy",
                        "--backend", "tpu"),
                bad("unknown dtype", 2, "--dtype: 'fp64' is not a dtype", "--a", "a23.npy", "--b", "b34.npy", "--dtype", "fp64"),
                bad("int32 as compute dtype", 2, "--dtype: int32 is not a GEMM input dtype", "--a", "i32.npy", "--b", "b8.npy",
                        "--dtype", "int32"),
                bad("unknown out dtype", 2, "--out-dtype: 'f16' is not a dtype", "--a", "a23.npy", "--b", "b34.npy",
                        "--out-dtype", "f16"),
                bad("unsupported out dtype", 2, "outputType: FP16 is not supported for inputType FP32",
                        "--a", "a23.npy", "--b", "b34.npy", "--out-dtype", "fp16"),
                bad("unknown option", 2, "run gemm: unknown option '--frobnicate' (known: ", "--a", "a23.npy", "--b", "b34.npy",
                        "--frobnicate", "3"),
                bad("option given twice", 2, "option --a is given twice", "--a", "a23.npy", "--a", "a23.npy", "--b", "b34.npy"),
                bad("flag with a value", 2, "option --trans-a takes no value (got 'yes')", "--a", "a23.npy", "--b", "b34.npy",
                        "--trans-a=yes"),
                bad("missing value", 2, "option --alpha needs a value (X)", "--a", "a23.npy", "--b", "b34.npy", "--alpha"),
                bad("value that looks like an option", 2, "option --a needs a value (A.npy)", "--a", "--b", "b34.npy"),
                bad("missing required option", 2, "option --b is required", "--a", "a23.npy"),
                bad("alpha not a number", 2, "--alpha: 'abc' is not a number", "--a", "a23.npy", "--b", "b34.npy", "--alpha", "abc"),
                bad("alpha NaN", 2, "--alpha: 'NaN' is not a finite number", "--a", "a23.npy", "--b", "b34.npy", "--alpha", "NaN"),
                bad("fractional alpha with int32 output", 2, "alpha: 0.5 must be an integer", "--a", "a8.npy", "--b", "b8.npy",
                        "--alpha", "0.5"),
                bad("beta without C", 2, "--beta 1.3 needs --c", "--a", "a23.npy", "--b", "b34.npy", "--beta", "1.3"),
                bad("zero threads", 2, "--threads: 0 is less than 1", "--a", "a23.npy", "--b", "b34.npy", "--threads", "0"),
                bad("negative threads", 2, "--threads: -2 is less than 1", "--a", "a23.npy", "--b", "b34.npy", "--threads", "-2"),
                bad("unavailable backend", 3, "unavailable: " + WrongBackendProvider.NAME + ": enabled only by the tests",
                        "--a", "a23.npy", "--b", "b34.npy", "--backend", WrongBackendProvider.NAME));
    }

    private static Arguments bad(String name, int exit, String message, String... args) {
        return Arguments.of(name, exit, message, List.of(args));
    }

    /** Runs a bad-input case, writing to {@code out}; checks the exit code, the one-line message and that no output appeared. */
    private void assertRefused(int exit, String message, List<String> args, String out) throws IOException {
        new CliFiles(dir).assertRefused(List.of("run", "gemm"), exit, message, args, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void refusesBadInput(String name, int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args, "y.npy");
    }

    @Test
    void refusesAnOutputDirectoryThatDoesNotExist() throws IOException {
        assertRefused(2, "--out: directory '" + dir.resolve("missing") + "' of '", List.of("--a", "a23.npy", "--b", "b34.npy"),
                "missing/y.npy");
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void refusesAnOutputThatIsADirectory() throws IOException {
        assertRefused(2, "--out: '" + dir.resolve("adir") + "' is a directory", List.of("--a", "a23.npy", "--b", "b34.npy"), "adir");
    }

    @Test
    void leavesAnExistingOutputUntouchedOnBadInput() throws IOException {
        Path y = Files.writeString(dir.resolve("y.npy"), "previous result");
        assertRefused(2, "inner dimensions differ", List.of("--a", "a23.npy", "--b", "b44.npy"), "y.npy");
        assertEquals("previous result", Files.readString(y));
    }
}
