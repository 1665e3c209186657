package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

class NpyWriterTest {
    @TempDir
    Path dir;

    private static final List<long[]> SHAPES = List.of(new long[] {}, new long[] {0}, new long[] {5}, new long[] {0, 3},
            new long[] {3, 0}, new long[] {2, 3}, new long[] {2, 3, 4}, new long[] {1, 1, 1, 7});

    static Stream<Arguments> dtypesAndShapes() {
        return Stream.of(DType.values()).flatMap(d -> SHAPES.stream().map(s -> Arguments.of(d, s)));
    }

    /** Distinct values that each dtype stores exactly, including its extremes. */
    private static double value(DType dtype, long i) {
        return switch (dtype) {
            case INT8 -> (i * 37) % 256 - 128;
            case INT32 -> i == 0 ? Integer.MIN_VALUE : i * 104729 - 1_000_000_007L % 3;
            case FP16 -> i == 0 ? -65504 : (i - 11) * 0.125;
            case BF16 -> i == 0 ? dtype.maxValue() : (i - 7) * 0x1p-3;
            case FP32 -> i == 0 ? -Float.MAX_VALUE : (i - 13) * 0.1f;
        };
    }

    private static Tensor filled(DType dtype, long[] shape) {
        Tensor t = Tensor.allocate(dtype, shape);
        for (long i = 0; i < t.elementCount(); i++) {
            dtype.write(t.segment(), i, value(dtype, i));
        }
        return t;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    void roundTripsEveryDtypeAndShape(DType dtype, long[] shape) throws IOException {
        Path file = dir.resolve("t.npy");
        try (Tensor t = filled(dtype, shape)) {
            NpyWriter.write(file, t);
            try (NpyArray back = NpyReader.read(file); Tensor read = back.toTensor(dtype)) {
                assertEquals(NpyDType.forTensor(dtype), back.dtype());
                assertArrayEquals(shape, back.shape());
                assertArrayEquals(t.toDoubleArray(), read.toDoubleArray());
            }
        }
    }

    @Test
    void writesTheDescrNumpyExpects() throws IOException {
        assertEquals("<f4", NpyDType.forTensor(DType.FP32).descr());
        assertEquals("<f2", NpyDType.forTensor(DType.FP16).descr());
        assertEquals("<f4", NpyDType.forTensor(DType.BF16).descr());
        assertEquals("|i1", NpyDType.forTensor(DType.INT8).descr());
        assertEquals("<i4", NpyDType.forTensor(DType.INT32).descr());
        try (Tensor t = filled(DType.BF16, new long[] {3})) {
            NpyWriter.write(dir.resolve("b.npy"), t);
        }
        String header = new String(Files.readAllBytes(dir.resolve("b.npy")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.substring(10, header.indexOf('}') + 1));
    }

    /** What numpy.save wrote and what we write for the same array are the same bytes, header padding included. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"float32_2x3.npy", "float16_5.npy", "int8_4.npy", "int32_2x2.npy",
        "float32_0x3.npy", "float32_scalar.npy"})
    void writesTheSameBytesAsNumpy(String fixture) throws IOException {
        Path copy = NpyFiles.copyFixture(dir, fixture);
        DType dtype = switch (fixture.substring(0, fixture.indexOf('_'))) {
            case "float16" -> DType.FP16;
            case "int8" -> DType.INT8;
            case "int32" -> DType.INT32;
            default -> DType.FP32;
        };
        Path ours = dir.resolve("ours.npy");
        try (NpyArray array = NpyReader.read(copy); Tensor t = array.toTensor(dtype)) {
            NpyWriter.write(ours, t);
        }
        assertArrayEquals(Files.readAllBytes(copy), Files.readAllBytes(ours));
    }

    @Test
    void writesOnlyTheLogicalElementsOfAPaddedMatrix() throws IOException {
        try (Tensor padded = Tensor.allocateMatrix(DType.FP32, 2, 3, 5)) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 5; j++) {
                    DType.FP32.write(padded.segment(), i * 5L + j, j < 3 ? i * 10 + j : 999);
                }
            }
            NpyWriter.write(dir.resolve("p.npy"), padded);
        }
        try (NpyArray back = NpyReader.read(dir.resolve("p.npy")); Tensor t = back.toTensor(DType.FP32)) {
            assertArrayEquals(new double[] {0, 1, 2, 10, 11, 12}, t.toDoubleArray());
        }
    }

    @Test
    void fallsBackToVersion2WhenTheHeaderExceeds64KiB() throws IOException {
        long[] shape = new long[22_000];
        java.util.Arrays.fill(shape, 1);
        try (Tensor t = Tensor.allocate(DType.INT8, shape)) {
            t.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 42);
            NpyWriter.write(dir.resolve("wide.npy"), t);
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("wide.npy"));
        assertEquals(2, bytes[6]);
        assertEquals(0, (bytes.length - 1) % 64, "data of one byte starts 64-byte aligned");
        try (NpyArray back = NpyReader.read(dir.resolve("wide.npy")); Tensor t = back.toTensor(DType.INT8)) {
            assertEquals(22_000, back.rank());
            assertArrayEquals(new double[] {42}, t.toDoubleArray());
        }
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("r.npy");
        Files.writeString(file, "old content");
        try (Tensor t = filled(DType.INT32, new long[] {2})) {
            NpyWriter.write(file, t);
        }
        try (NpyArray back = NpyReader.read(file)) {
            assertEquals(NpyDType.INT32, back.dtype());
        }
        assertEquals(List.of(file), listing());
    }

    @Test
    void missingDirectoryFailsAndLeavesNothing() {
        Path file = dir.resolve("absent/y.npy");
        try (Tensor t = filled(DType.FP32, new long[] {2})) {
            assertThrows(NoSuchFileException.class, () -> NpyWriter.write(file, t));
        }
        assertFalse(Files.exists(dir.resolve("absent")));
    }

    @Test
    void aDirectoryAsTargetFailsAndStaysADirectory() throws IOException {
        Path target = Files.createDirectory(dir.resolve("d.npy"));
        try (Tensor t = filled(DType.FP32, new long[] {2})) {
            assertThrows(FileSystemException.class, () -> NpyWriter.write(target, t));
        }
        assertEquals(List.of(target), listing());
    }

    @Test
    void aFailingWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keep.txt");
        Files.writeString(file, "old");
        IOException failure = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(file, channel -> {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'n', 'e', 'w'}));
            throw failure;
        }));
        assertEquals(failure, thrown);
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void writesStringsAtomicallyWithThePermissionsOfAnyNewFile() throws IOException {
        Path file = dir.resolve("report.txt");
        AtomicFiles.writeString(file, "héllo\n");
        assertEquals("héllo\n", Files.readString(file));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Path ordinary = Files.createFile(dir.resolve("ordinary.txt"));
            assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(file));
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
