package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;
import org.kernels4j.io.NpyReader;
import org.kernels4j.io.NpyWriter;

/** The .npy files of a {@code k4j run} test in its directory, and the check that a bad command line is refused cleanly. */
final class CliFiles {
    private final Path dir;

    CliFiles(Path dir) {
        this.dir = dir;
    }

    Path floats(String name, DType as, float[] values, long... shape) throws IOException {
        try (Tensor t = Tensor.fromFloats(as, values, shape)) {
            NpyWriter.write(dir.resolve(name), t);
        }
        return dir.resolve(name);
    }

    Path bytes(String name, byte[] values, long... shape) throws IOException {
        try (Tensor t = Tensor.fromBytes(values, shape)) {
            NpyWriter.write(dir.resolve(name), t);
        }
        return dir.resolve(name);
    }

    Path ints(String name, int[] values, long... shape) throws IOException {
        try (Tensor t = Tensor.fromInts(values, shape)) {
            NpyWriter.write(dir.resolve(name), t);
        }
        return dir.resolve(name);
    }

    /** The values of an output file, after checking its numpy dtype and shape. */
    static double[] read(Path file, NpyDType expectedType, long... expectedShape) throws IOException {
        try (NpyArray array = NpyReader.read(file)) {
            assertEquals(expectedType, array.dtype(), "dtype of " + file);
            assertArrayEquals(expectedShape, array.shape(), "shape of " + file);
            DType as = expectedType == NpyDType.INT32 ? DType.INT32 : DType.FP32;
            try (Tensor t = array.toTensor(as)) {
                return t.toDoubleArray();
            }
        }
    }

    /**
     * Runs {@code command} (e.g. "run", "gemm") with {@code args} — those ending in .npy, and "adir", name files in the
     * directory — writing to {@code out}; checks the exit code, the one-line message and that no output appeared.
     */
    void assertRefused(List<String> command, int exit, String message, List<String> args, String out) throws IOException {
        List<String> line = new ArrayList<>(command);
        for (String arg : args) {
            boolean file = arg.endsWith(".npy") || arg.equals("adir");
            line.add(file ? dir.resolve(arg).toString() : arg);
        }
        line.addAll(List.of("--out", dir.resolve(out).toString()));
        Cli.assertRefused(dir, exit, message, line);
    }
}
