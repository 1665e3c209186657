package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Fill;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reference;
import org.kernels4j.comm.mpi.MpiTesting;
import org.kernels4j.io.IndependentRounding;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyFiles;
import org.kernels4j.io.NpyReader;
import org.kernels4j.io.NpyWriter;

/**
 * {@code k4j run allreduce} in this JVM: results against the reduction computed here in double from
 * independently rounded inputs (integers: exactly, with wrap), within the per-hop rounding bound; and
 * every kind of bad input refused with exit 2 (3 for what is unavailable), one line naming the problem,
 * and no output file.
 */
class RunAllReduceCommandTest {
    private static final String[] ALGORITHMS = {"auto", "ring", "recursive-doubling", "halving-doubling", "tree"};
    /** 1, 7 and 1000 elements; the last as a matrix, whose shape the output must keep. */
    private static final long[][] SHAPES = {{1}, {7}, {8, 125}};

    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(23);

    @AfterEach
    void disableTheWrongBackend() {
        System.clearProperty(WrongBackendProvider.ENABLE);
    }

    /**
     * Each rank's input file and its values as the collective sees them (rounded to the dtype), written
     * as float32 for float dtypes (so that the command rounds) and as the dtype itself for integers.
     */
    private record Inputs(List<Path> files, double[][] values) {
        String option() {
            return files.stream().map(Path::toString).collect(Collectors.joining(","));
        }
    }

    private Inputs randomInputs(DType dtype, ReduceOp op, int ranks, long[] shape) throws IOException {
        int count = Math.toIntExact(elements(shape));
        List<Path> files = new ArrayList<>();
        double[][] values = new double[ranks][count];
        for (int r = 0; r < ranks; r++) {
            Path file = dir.resolve("r" + r + ".npy");
            if (dtype.isFloatingPoint()) {
                float[] raw = new float[count];
                for (int i = 0; i < count; i++) {
                    raw[i] = randomFloat(op);
                    values[r][i] = switch (dtype) {
                        case FP16 -> IndependentRounding.toHalf(raw[i]);
                        case BF16 -> IndependentRounding.toBfloat16(raw[i]);
                        default -> raw[i];
                    };
                }
                write(file, Tensor.fromFloats(DType.FP32, raw, shape));
            } else {
                int[] ints = new int[count];
                for (int i = 0; i < count; i++) {
                    ints[i] = dtype == DType.INT8 ? random.nextInt(-128, 128) : random.nextInt();
                    values[r][i] = ints[i];
                }
                try (Tensor wide = Tensor.fromInts(ints, shape)) {
                    write(file, wide.convertTo(dtype));
                }
            }
            files.add(file);
        }
        return new Inputs(files, values);
    }

    private float randomFloat(ReduceOp op) {
        return (float) switch (op) {
            case SUM, AVG -> random.nextDouble(-1, 1);
            case PROD -> (random.nextBoolean() ? 1 : -1) * random.nextDouble(0.5, 2);
            case MAX, MIN -> random.nextDouble(-1000, 1000);
        };
    }

    /** Inputs already representable in {@code dtype} (from the comm tests' fills), written as float32 or as the integer dtype. */
    private Inputs fillInputs(Fill fill, DType dtype, ReduceOp op, int ranks, int count, long seed) throws IOException {
        double[][] values = fill.generate(dtype, op, ranks, count, seed);
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            Path file = dir.resolve("f" + r + ".npy");
            Tensor tensor = Tensor.allocate(dtype.isFloatingPoint() ? DType.FP32 : dtype, count);
            for (int i = 0; i < count; i++) {
                tensor.set(values[r][i], i);
            }
            write(file, tensor);
            files.add(file);
        }
        return new Inputs(files, values);
    }

    private static void write(Path file, Tensor tensor) throws IOException {
        try (tensor) {
            NpyWriter.write(file, tensor);
        }
    }

    private static long elements(long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return count;
    }

    private static double[] read(Path file, NpyDType expectedType, long... expectedShape) throws IOException {
        try (NpyArray array = NpyReader.read(file)) {
            assertEquals(expectedType, array.dtype(), "dtype of " + file);
            assertArrayEquals(expectedShape, array.shape(), "shape of " + file);
            try (Tensor t = array.toTensor(expectedType.isFloatingPoint() ? DType.FP32 : DType.INT32)) {
                return t.toDoubleArray();
            }
        }
    }

    private static void assertWithinTolerance(double[] actual, DType dtype, ReduceOp op, double[][] inputs, Fill fill, String context) {
        double[] expected = Reference.reduce(dtype, op, inputs);
        assertEquals(expected.length, actual.length, context);
        for (int i = 0; i < expected.length; i++) {
            double allowed = Reference.tolerance(dtype, op, inputs, i, expected[i], fill);
            int element = i;
            assertTrue(Math.abs(actual[i] - expected[i]) <= allowed,
                    () -> context + ", element " + element + ": " + actual[element] + " vs " + expected[element] + " (±" + allowed + ")");
        }
    }

    private static Cli.Result ok(String... args) {
        Cli.Result result = Cli.run(args);
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("all ranks agree; wrote "), result::toString);
        return result;
    }

    // ---- results

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    @Timeout(300)
    void matchesAnIndependentReductionForEveryDtypeOpAndSize(int ranks) throws IOException {
        int variant = 0;
        for (DType dtype : DType.values()) {
            for (ReduceOp op : ReduceOp.values()) {
                if (!op.supports(dtype)) {
                    continue;
                }
                for (long[] shape : SHAPES) {
                    String algorithm = ALGORITHMS[variant++ % ALGORITHMS.length];
                    String context = ranks + " ranks, " + dtype + " " + op + ", shape " + NpyArray.formatShape(shape) + ", " + algorithm;
                    Inputs inputs = randomInputs(dtype, op, ranks, shape);
                    Path y = dir.resolve("y.npy");
                    ok("run", "allreduce", "--in", inputs.option(), "--op", op.cliName(), "--dtype", dtype.cliName(),
                            "--algorithm", algorithm, "--out", y.toString());
                    NpyDType written = dtype.isFloatingPoint() ? NpyDType.FLOAT32 : NpyDType.forTensor(dtype);
                    assertWithinTolerance(read(y, written, shape), dtype, op, inputs.values(), Fill.RANDOM, context);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fp32", "fp16", "bf16"})
    @Timeout(60)
    void exactInputsGiveExactResults(String dtypeName) throws IOException {
        DType dtype = DType.fromCliName(dtypeName);
        for (ReduceOp op : ReduceOp.values()) {
            Inputs inputs = fillInputs(Fill.EXACT, dtype, op, 4, 1000, op.ordinal());
            Path y = dir.resolve("y.npy");
            ok("run", "allreduce", "--in", inputs.option(), "--op", op.cliName(), "--dtype", dtypeName, "--out", y.toString());
            assertWithinTolerance(read(y, NpyDType.FLOAT32, 1000), dtype, op, inputs.values(), Fill.EXACT, dtype + " " + op);
        }
    }

    @Test
    void int8SumsWrapAndStayInt8() throws IOException {
        write(dir.resolve("a.npy"), Tensor.fromBytes(new byte[] {100, -128, 5}, 3));
        write(dir.resolve("b.npy"), Tensor.fromBytes(new byte[] {100, -1, 5}, 3));
        Path y = dir.resolve("y.npy");
        ok("run", "allreduce", "--in", dir.resolve("a.npy") + "," + dir.resolve("b.npy"), "--op", "sum", "--out", y.toString());
        assertArrayEquals(new double[] {-56, 127, 10}, read(y, NpyDType.INT8, 3));

        Path y32 = dir.resolve("y32.npy");
        ok("run", "allreduce", "--in", dir.resolve("a.npy") + "," + dir.resolve("b.npy"), "--op", "sum", "--out-dtype", "int32",
                "--out", y32.toString());
        assertArrayEquals(new double[] {-56, 127, 10}, read(y32, NpyDType.INT32, 3));
    }

    @Test
    void outDtypeWritesTheFloatDtypeItself() throws IOException {
        for (DType dtype : List.of(DType.FP16, DType.BF16)) {
            Inputs inputs = randomInputs(dtype, ReduceOp.SUM, 3, new long[] {2, 50});
            Path y32 = dir.resolve("y32.npy");
            Path yOwn = dir.resolve("yown.npy");
            ok("run", "allreduce", "--in", inputs.option(), "--op", "sum", "--dtype", dtype.cliName(), "--out", y32.toString());
            ok("run", "allreduce", "--in", inputs.option(), "--op", "sum", "--dtype", dtype.cliName(), "--out-dtype", dtype.cliName(),
                    "--out", yOwn.toString());
            double[] own = read(yOwn, NpyDType.forTensor(dtype), 2, 50);
            assertArrayEquals(read(y32, NpyDType.FLOAT32, 2, 50), own, dtype + ": the same values in either file");
            for (double v : own) {
                assertEquals(v, dtype.round(v), () -> v + " is not a " + dtype + " value");
            }
        }
    }

    @Test
    void infersTheDtypeFromTheFirstInputAndTakesFloat64AndFloat16Data() throws IOException {
        float[] half = {0.5f, -1.25f, 3f};
        write(dir.resolve("h.npy"), Tensor.fromFloats(DType.FP16, half, 3));
        Path wide = NpyFiles.write(dir, "d.npy", NpyFiles.float64(new double[] {0.1, 0.2, 1e-8}, 3));
        Path y = dir.resolve("y.npy");
        Cli.Result result = ok("run", "allreduce", "--in", dir.resolve("h.npy") + "," + wide, "--op", "max", "--out", y.toString());
        assertTrue(result.out().startsWith("allreduce max fp16 (3,) over 2 ranks"), result::toString);
        double[] expected = {IndependentRounding.toHalf(0.5f), IndependentRounding.toHalf(0.2f), 3};
        assertArrayEquals(expected, read(y, NpyDType.FLOAT32, 3));
    }

    @Test
    void emptyInputsGiveAnEmptyResult() throws IOException {
        write(dir.resolve("e0.npy"), Tensor.allocate(DType.FP32, 2, 0));
        write(dir.resolve("e1.npy"), Tensor.allocate(DType.FP32, 2, 0));
        Path y = dir.resolve("y.npy");
        ok("run", "allreduce", "--in", dir.resolve("e0.npy") + "," + dir.resolve("e1.npy"), "--op", "sum", "--out", y.toString());
        assertEquals(0, read(y, NpyDType.FLOAT32, 2, 0).length);
    }

    @Test
    void namesWhatRan() throws IOException {
        Inputs inputs = randomInputs(DType.FP32, ReduceOp.SUM, 3, new long[] {5});
        Path y = dir.resolve("y.npy");
        Cli.Result result = ok("run", "allreduce", "--transport", "local", "--in", inputs.option(), "--op", "avg",
                "--algorithm", "ring", "--backend", "reference", "--out", y.toString());
        assertTrue(result.out().startsWith("allreduce avg fp32 (5,) over 3 ranks (local transport, ring, ScalarReducer) in "),
                result::toString);
        assertTrue(result.out().contains("wrote " + y + " (float32 (5,))"), result::toString);
    }

    /**
     * The MPI transport (ranks as processes under mpirun, started by k4j): the same result as an
     * independent sum, and the same bits as the local transport (same algorithm, same reduction order).
     */
    @ParameterizedTest(name = "{0} ranks, {1}")
    @CsvSource({"2, fp32", "3, fp32", "2, fp16", "2, bf16", "3, bf16", "2, int8", "3, int8", "2, int32"})
    @Timeout(60)
    void theMpiTransportMatchesAnIndependentSumAndTheLocalTransportBitForBit(int ranks, String dtypeName) throws IOException {
        MpiTesting.assumeMpi();
        DType dtype = DType.fromCliName(dtypeName);
        long[] shape = {3, 37};
        Inputs inputs = randomInputs(dtype, ReduceOp.SUM, ranks, shape);
        Path viaMpi = dir.resolve("mpi.npy");
        Path viaThreads = dir.resolve("local.npy");
        Cli.Result result = ok("run", "allreduce", "--transport", "mpi", "--in", inputs.option(), "--op", "sum", "--dtype", dtypeName,
                "--out", viaMpi.toString());
        assertTrue(result.out().startsWith("allreduce sum " + dtypeName + " (3, 37) over " + ranks + " ranks (mpi transport, "),
                result::toString);
        ok("run", "allreduce", "--transport", "local", "--in", inputs.option(), "--op", "sum", "--dtype", dtypeName,
                "--out", viaThreads.toString());
        NpyDType written = dtype.isFloatingPoint() ? NpyDType.FLOAT32 : NpyDType.forTensor(dtype);
        assertWithinTolerance(read(viaMpi, written, shape), dtype, ReduceOp.SUM, inputs.values(), Fill.RANDOM, ranks + " ranks, " + dtype);
        assertArrayEquals(Files.readAllBytes(viaThreads), Files.readAllBytes(viaMpi), "the local transport's file, byte for byte");
    }

    // ---- bad input

    @BeforeEach
    void writeFixtures() throws IOException {
        write(dir.resolve("f3.npy"), Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3}, 3));
        write(dir.resolve("g3.npy"), Tensor.fromFloats(DType.FP32, new float[] {4, 5, 6}, 3));
        write(dir.resolve("f4.npy"), Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4}, 4));
        write(dir.resolve("f13.npy"), Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3}, 1, 3));
        write(dir.resolve("b3.npy"), Tensor.fromBytes(new byte[] {1, 2, 3}, 3));
        write(dir.resolve("i3.npy"), Tensor.fromInts(new int[] {1, 2, 3}, 3));
        Files.writeString(dir.resolve("text.npy"), "1,2,3\n");
        NpyFiles.copyFixture(dir, "int64_3.npy");
        Files.createDirectory(dir.resolve("adir"));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("missing file", 2, "--in: no such file '", "--in", "f3.npy,absent.npy", "--op", "sum"),
                bad("not an .npy", 2, "text.npy: not an .npy file", "--in", "text.npy", "--op", "sum"),
                bad("a directory", 2, "adir' is a directory, not an .npy file", "--in", "f3.npy,adir", "--op", "sum"),
                bad("unsupported file dtype", 2, "unsupported dtype '<i8'", "--in", "int64_3.npy", "--op", "sum"),
                bad("shape mismatch", 2, "--in: shapes differ: {dir}/f4.npy has shape (4,) but {dir}/f3.npy has shape (3,)"
                        + " (every rank's input must have the same shape)", "--in", "f3.npy,g3.npy,f4.npy", "--op", "sum"),
                bad("same count, other shape", 2, "{dir}/f13.npy has shape (1, 3) but {dir}/f3.npy has shape (3,)",
                        "--in", "f3.npy,f13.npy", "--op", "sum"),
                bad("empty --in", 2, "--in: no input files (give one .npy per rank, comma-separated)", "--in=", "--op", "sum"),
                bad("empty item", 2, "--in: '{dir}/f3.npy,,{dir}/g3.npy' has an empty item", "--in", "f3.npy,,g3.npy", "--op", "sum"),
                bad("missing --in", 2, "run allreduce: option --in is required", "--op", "sum"),
                bad("missing --op", 2, "run allreduce: option --op is required", "--in", "f3.npy"),
                bad("unknown op", 2, "--op: unknown reduction 'mean' (sum, prod, max, min, avg)", "--in", "f3.npy", "--op", "mean"),
                bad("unknown dtype", 2, "--dtype: 'fp64' is not a dtype", "--in", "f3.npy", "--op", "sum", "--dtype", "fp64"),
                bad("unknown algorithm", 2, "--algorithm: unknown algorithm 'fast' (auto, ring, recursive-doubling, halving-doubling, tree)",
                        "--in", "f3.npy", "--op", "sum", "--algorithm", "fast"),
                bad("avg on int8", 2, "--op avg is not defined for integer dtype int8", "--in", "b3.npy", "--op", "avg"),
                bad("avg on int32", 2, "--op avg is not defined for integer dtype int32", "--in", "i3.npy,i3.npy", "--op", "avg"),
                bad("int data, float dtype", 2, "b3.npy holds int8 data but --dtype fp16 needs float data", "--in", "b3.npy",
                        "--op", "sum", "--dtype", "fp16"),
                bad("float data, int8 dtype", 2, "f3.npy holds float32 data but --dtype int8 needs int8 data", "--in", "f3.npy",
                        "--op", "sum", "--dtype", "int8"),
                bad("int32 data, int8 dtype", 2, "i3.npy holds int32 data but --dtype int8 needs int8 data", "--in", "i3.npy",
                        "--op", "sum", "--dtype", "int8"),
                bad("float data, int32 dtype", 2, "g3.npy holds float32 data but --dtype int32 needs int8 or int32 data",
                        "--in", "i3.npy,g3.npy", "--op", "max", "--dtype", "int32"),
                bad("float after inferred int8", 2, "f3.npy holds float32 data but --dtype int8 (from ", "--in", "b3.npy,f3.npy",
                        "--op", "sum"),
                bad("out dtype that rounds", 2, "--out-dtype fp16 cannot hold every fp32 result exactly (give fp32)",
                        "--in", "f3.npy", "--op", "sum", "--out-dtype", "fp16"),
                bad("out dtype that wraps", 2, "--out-dtype int8 cannot hold every int32 result exactly", "--in", "i3.npy",
                        "--op", "sum", "--out-dtype", "int8"),
                bad("unknown transport", 2, "--transport: unknown transport 'tcp' (local or mpi)", "--in", "f3.npy", "--op", "sum",
                        "--transport", "tcp"),
                bad("unknown backend", 2, "--backend: unknown backend 'tpu' (known: ", "--in", "f3.npy", "--op", "sum",
                        "--backend", "tpu"),
                bad("unknown option", 2, "run allreduce: unknown option '--ranks'", "--in", "f3.npy", "--op", "sum", "--ranks", "2"),
                bad("unavailable backend", 3, "unavailable: " + WrongBackendProvider.NAME + ": enabled only by the tests",
                        "--in", "f3.npy", "--op", "sum", "--backend", WrongBackendProvider.NAME),
                bad("shape mismatch under mpi", 2, "k4j: --in: shapes differ: {dir}/f4.npy has shape (4,)", "--in", "f3.npy,f4.npy",
                        "--op", "sum", "--transport", "mpi"),
                bad("missing file under mpi", 2, "k4j: --in: no such file '", "--in", "f3.npy,absent.npy", "--op", "sum",
                        "--transport", "mpi"));
    }

    private static Arguments bad(String name, int exit, String message, String... args) {
        return Arguments.of(name, exit, message, List.of(args));
    }

    /**
     * Runs a bad-input case writing to {@code out}, with fixture names turned into paths in the test's
     * directory, which the message names as {dir}.
     */
    private void assertRefused(int exit, String message, List<String> args, String out) throws IOException {
        List<String> command = new ArrayList<>(List.of("run", "allreduce"));
        for (String arg : args) {
            command.add(arg.contains(".npy") || arg.equals("adir") ? inDir(arg) : arg);
        }
        command.addAll(List.of("--out", dir.resolve(out).toString()));
        Cli.assertRefused(dir, exit, message.replace("{dir}", dir.toString()), command);
    }

    /** "a.npy,b.npy" → the same files in the test's directory. */
    private String inDir(String files) {
        return Stream.of(files.split(",", -1)).map(f -> f.isEmpty() ? f : dir.resolve(f).toString()).collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    @Timeout(30)
    void refusesBadInput(String name, int exit, String message, List<String> args) throws IOException {
        assertRefused(exit, message, args, "y.npy");
    }

    @Test
    void refusesABackendWithoutAReductionStep() throws IOException {
        System.setProperty(WrongBackendProvider.ENABLE, "true");
        assertRefused(2, "--backend: " + WrongBackendProvider.NAME + " offers no reduction step for collectives (backends that do: ",
                List.of("--in", "f3.npy", "--op", "sum", "--backend", WrongBackendProvider.NAME), "y.npy");
    }

    @Test
    void refusesAnOutputDirectoryThatDoesNotExist() throws IOException {
        assertRefused(2, "--out: directory '" + dir.resolve("missing") + "' of '", List.of("--in", "f3.npy", "--op", "sum"),
                "missing/y.npy");
    }

    @Test
    void leavesAnExistingOutputUntouchedOnBadInput() throws IOException {
        Path y = Files.writeString(dir.resolve("y.npy"), "previous result");
        assertRefused(2, "shapes differ", List.of("--in", "f3.npy,f4.npy", "--op", "sum"), "y.npy");
        assertEquals("previous result", Files.readString(y));
    }
}
