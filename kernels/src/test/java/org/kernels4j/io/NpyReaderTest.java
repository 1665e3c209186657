package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

class NpyReaderTest {
    @TempDir
    Path dir;

    private double[] values(String fixture, DType as) throws IOException {
        try (NpyArray array = NpyReader.read(NpyFiles.copyFixture(dir, fixture)); Tensor t = array.toTensor(as)) {
            return t.toDoubleArray();
        }
    }

    private NpyArray open(String fixture) throws IOException {
        return NpyReader.read(NpyFiles.copyFixture(dir, fixture));
    }

    @Test
    void readsNumpyFloat32Matrix() throws IOException {
        try (NpyArray array = open("float32_2x3.npy")) {
            assertEquals(NpyDType.FLOAT32, array.dtype());
            assertArrayEquals(new long[] {2, 3}, array.shape());
            assertEquals(2, array.rank());
            assertEquals("float32 (2, 3)", array.describe());
        }
        double[] expected = {1.5, -2.25, 3e-3f, 65504, 1e-8f, -0.0};
        assertArrayEquals(expected, values("float32_2x3.npy", DType.FP32));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(values("float32_2x3.npy", DType.FP32)[5]));
    }

    @Test
    void readsNumpyFloat16Vector() throws IOException {
        try (NpyArray array = open("float16_5.npy")) {
            assertEquals(NpyDType.FLOAT16, array.dtype());
            assertArrayEquals(new long[] {5}, array.shape());
        }
        double[] expected = {1, Float.float16ToFloat(Float.floatToFloat16(0.333f)), -65504, Double.POSITIVE_INFINITY, 0x1p-24};
        assertArrayEquals(expected, values("float16_5.npy", DType.FP16));
        assertArrayEquals(expected, values("float16_5.npy", DType.FP32));
    }

    @Test
    void readsNumpyFloat64ThreeDimensionalArrayThroughFloat32() throws IOException {
        try (NpyArray array = open("float64_2x2x2.npy")) {
            assertEquals(NpyDType.FLOAT64, array.dtype());
            assertArrayEquals(new long[] {2, 2, 2}, array.shape());
        }
        double[] fp32 = values("float64_2x2x2.npy", DType.FP32);
        double[] expected = {0.1f, -0.2f, Double.POSITIVE_INFINITY, -0.0, 3, Double.NaN, (float) (1 + 0x1p-12), 2.5};
        assertArrayEquals(expected, fp32);
    }

    @Test
    void readsNumpyIntegers() throws IOException {
        assertArrayEquals(new double[] {-128, -1, 0, 127}, values("int8_4.npy", DType.INT8));
        assertArrayEquals(new double[] {-128, -1, 0, 127}, values("int8_4.npy", DType.INT32));
        assertArrayEquals(new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 7}, values("int32_2x2.npy", DType.INT32));
        try (NpyArray array = open("int8_4.npy")) {
            assertEquals(NpyDType.INT8, array.dtype());
        }
    }

    @Test
    void readsEmptyAndScalarArrays() throws IOException {
        try (NpyArray empty = open("float32_0x3.npy"); Tensor t = empty.toTensor(DType.FP32)) {
            assertArrayEquals(new long[] {0, 3}, empty.shape());
            assertEquals(0, empty.elementCount());
            assertArrayEquals(new long[] {0, 3}, t.shape());
        }
        try (NpyArray scalar = open("float32_scalar.npy"); Tensor t = scalar.toTensor(DType.FP32)) {
            assertEquals(0, scalar.rank());
            assertEquals(1, scalar.elementCount());
            assertEquals("float32 ()", scalar.describe());
            assertArrayEquals(new double[] {-7.5}, t.toDoubleArray());
        }
    }

    @Test
    void readsFormatVersion2() throws IOException {
        try (NpyArray array = open("float32_2x2_v2.npy")) {
            assertArrayEquals(new long[] {2, 2}, array.shape());
        }
        assertArrayEquals(new double[] {1, 2, 3, 4}, values("float32_2x2_v2.npy", DType.FP32));
    }

    /** float32 → FP16/BF16 must round to nearest even, as the JDK's own conversion (an independent definition) does. */
    @Test
    void roundsFloatDataToNearestEvenForHalfAndBfloat16() throws IOException {
        float[] samples = {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-8f, 1 + 3 * 0x1p-8f, 65520f, -0x1p-25f, 1e-7f, 3.14159f,
            Float.NaN, Float.NEGATIVE_INFINITY};
        byte[] data = new byte[samples.length * 4];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(samples);
        Path file = NpyFiles.write(dir, "samples.npy", NpyFiles.build("<f4", "False", "(" + samples.length + ",)", data));
        try (NpyArray array = NpyReader.read(file); Tensor half = array.toTensor(DType.FP16); Tensor bf16 = array.toTensor(DType.BF16)) {
            for (int i = 0; i < samples.length; i++) {
                assertEquals(IndependentRounding.toHalf(samples[i]), (float) half.get(i), "FP16 of " + samples[i]);
                float expectedBf16 = IndependentRounding.toBfloat16(samples[i]);
                assertEquals(expectedBf16, (float) bf16.get(i), "BF16 of " + samples[i]);
            }
        }
    }

    @Test
    void acceptsLittleEndianMarkedInt8AndPython2Longs() throws IOException {
        Path file = NpyFiles.write(dir, "i1.npy", NpyFiles.build("<i1", "False", "(2L, 1L)", new byte[] {-5, 9}));
        try (NpyArray array = NpyReader.read(file); Tensor t = array.toTensor(DType.INT8)) {
            assertEquals(NpyDType.INT8, array.dtype());
            assertArrayEquals(new double[] {-5, 9}, t.toDoubleArray());
        }
    }

    @Test
    void acceptsDoubleQuotesAnyKeyOrderAndNoTrailingComma() throws IOException {
        String dict = "{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"|i1\"}";
        Path file = NpyFiles.write(dir, "q.npy", NpyFiles.build(1, dict, new byte[] {1, 2}));
        try (NpyArray array = NpyReader.read(file)) {
            assertArrayEquals(new long[] {1, 2}, array.shape());
        }
    }

    @Test
    void ignoresBytesAfterTheData() throws IOException {
        Path file = NpyFiles.write(dir, "extra.npy", NpyFiles.build("|i1", "False", "(2,)", new byte[] {1, 2, 3, 4}));
        try (NpyArray array = NpyReader.read(file); Tensor t = array.toTensor(DType.INT8)) {
            assertArrayEquals(new double[] {1, 2}, t.toDoubleArray());
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "float32_2x3.npy, INT8, float32 data cannot become INT8",
        "float32_2x3.npy, INT32, float32 data cannot become INT32",
        "int8_4.npy, FP32, int8 data cannot become FP32",
        "int32_2x2.npy, INT8, int32 data cannot become INT8",
        "int32_2x2.npy, BF16, int32 data cannot become BF16",
    })
    void refusesConversionsBetweenKinds(String fixture, DType target, String message) throws IOException {
        try (NpyArray array = open(fixture)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> array.toTensor(target));
            assertTrue(e.getMessage().startsWith(dir.resolve(fixture) + ": " + message), e.getMessage());
        }
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> NpyReader.read(dir.resolve("absent.npy")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "complex64_2.npy | unsupported dtype '<c8' (expected float32, float16, float64, int8 or int32)",
        "int64_3.npy     | unsupported dtype '<i8' (expected float32, float16, float64, int8 or int32)",
        "bool_2.npy      | unsupported dtype '|b1' (expected float32, float16, float64, int8 or int32)",
        "bigendian_2.npy | unsupported dtype '>f4': big-endian data",
        "fortran_2x3.npy | Fortran-order (column-major) arrays are not supported",
    })
    void rejectsNumpyFilesItCannotRepresent(String fixture, String message) {
        Path file = NpyFiles.copyFixture(dir, fixture);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": " + message), e.getMessage());
    }

    private void assertRejected(byte[] content, String message) {
        Path file = NpyFiles.write(dir, "bad.npy", content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "'" + e.getMessage() + "' should contain '" + message + "'");
    }

    @Test
    void rejectsFilesThatAreNotNpy() {
        assertRejected("a,b,c\n1,2,3\n".getBytes(StandardCharsets.US_ASCII), "not an .npy file");
        assertRejected(new byte[0], "not an .npy file");
        assertRejected(new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "not an .npy file");
    }

    @Test
    void rejectsTruncatedFiles() {
        byte[] whole = NpyFiles.fixture("float32_2x3.npy");
        assertRejected(Arrays.copyOf(whole, whole.length - 1), "truncated data: shape (2, 3) of float32 needs 24 bytes, the file holds 23");
        assertRejected(Arrays.copyOf(whole, 40), "truncated .npy header");
        assertRejected(Arrays.copyOf(whole, 9), "truncated .npy preamble");
    }

    @Test
    void rejectsMalformedHeaders() {
        assertRejected(NpyFiles.build(1, "{'descr': '<f4', 'shape': (2,), }", new byte[8]), "exactly the keys descr, fortran_order and shape");
        assertRejected(NpyFiles.build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", new byte[8]),
                "exactly the keys");
        assertRejected(NpyFiles.build("<f4", "False", "(2, -1)", new byte[8]), "not a non-negative integer");
        assertRejected(NpyFiles.build("<f4", "False", "'2'", new byte[8]), "shape 2 is not a tuple");
        assertRejected(NpyFiles.build("<f4", "0", "(2,)", new byte[8]), "fortran_order is 0, not True or False");
        assertRejected(NpyFiles.build(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", new byte[8]), "malformed .npy header");
        assertRejected(NpyFiles.build(1, "{'descr': <f4}", new byte[8]), "malformed .npy header: unexpected character '<'");
        assertRejected(NpyFiles.build(1, "[1, 2]", new byte[8]), "expected a dict");
        assertRejected(NpyFiles.build("<f4", "False", "(4294967296, 4294967296)", new byte[8]), "more than 2^63 elements");
        assertRejected(NpyFiles.build(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8]),
                "unsupported dtype [[a, <f4]] (a structured type");
    }

    @Test
    void rejectsUnknownFormatVersions() {
        byte[] file = NpyFiles.fixture("float32_2x3.npy");
        file[6] = 3;
        assertRejected(file, "unsupported .npy format version 3.0 (expected 1.0 or 2.0)");
    }
}
