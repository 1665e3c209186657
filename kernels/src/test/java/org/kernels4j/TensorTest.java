package org.kernels4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void allocatesRowMajorZeroFilledMemory() {
        try (Tensor t = Tensor.allocate(DType.FP16, 2, 3, 4)) {
            assertArrayEquals(new long[] {12, 4, 1}, t.strides());
            assertEquals(24, t.elementCount());
            assertEquals(48, t.segment().byteSize());
            assertTrue(t.isContiguous());
            assertArrayEquals(new float[24], t.toFloatArray());
        }
    }

    @Test
    void paddedMatrixOwnsItsPaddingAndSeparatesRows() {
        try (Tensor t = Tensor.allocateMatrix(DType.FP32, 3, 2, 5)) {
            assertEquals(15 * 4, t.segment().byteSize());
            t.set(7, 1, 1);
            assertEquals(7, DType.FP32.read(t.segment(), 6));
            assertFalse(t.isContiguous());
            assertArrayEquals(new float[] {0, 0, 0, 7, 0, 0}, t.toFloatArray());
        }
    }

    @Test
    void matrixWithoutColumnsStillOwnsItsRowPadding() {
        try (Tensor t = Tensor.allocateMatrix(DType.INT8, 7, 0, 2)) {
            assertEquals(14, t.segment().byteSize());
            assertEquals(0, t.elementCount());
        }
    }

    @Test
    void fromFloatsRoundsToTheDtype() {
        try (Tensor t = Tensor.fromFloats(DType.BF16, new float[] {1.00390625f, 1.01171875f}, 2)) {
            // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even is 1. 1 + 3·2^-8 ties to 1 + 2^-6.
            assertArrayEquals(new float[] {1f, 1.015625f}, t.toFloatArray());
        }
    }

    @Test
    void integerDtypesWrap() {
        try (Tensor t = Tensor.fromFloats(DType.INT8, new float[] {127, 128, -129, 300}, 4)) {
            assertArrayEquals(new int[] {127, -128, 127, 44}, t.toIntArray());
        }
        try (Tensor t = Tensor.allocate(DType.INT32, 1)) {
            t.set(0x1p31, 0);
            assertEquals(Integer.MIN_VALUE, (int) t.get(0));
        }
    }

    @Test
    void convertsBetweenDtypes() {
        try (Tensor src = Tensor.fromFloats(DType.FP32, new float[] {1.5f, -2.25f, 65520f}, 3);
             Tensor half = src.convertTo(DType.FP16)) {
            assertArrayEquals(new float[] {1.5f, -2.25f, Float.POSITIVE_INFINITY}, half.toFloatArray());
        }
    }

    @Test
    void wrapsBorrowedMemoryWithoutFreeingIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(4 * 6);
            Tensor t = Tensor.wrap(segment, DType.FP32, new long[] {2, 3}, new long[] {3, 1});
            t.set(2.5, 1, 2);
            t.close();
            assertEquals(2.5f, segment.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.wrap(segment, DType.FP32, new long[] {3, 3}, new long[] {3, 1}));
            assertTrue(e.getMessage().startsWith("segment: 24 bytes"), e.getMessage());
        }
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertMessage("shape[1]: -2 is negative", () -> Tensor.allocate(DType.FP32, 3, -2));
        assertMessage("ld: 2 is less than max(1, cols) = 3", () -> Tensor.allocateMatrix(DType.FP32, 2, 3, 2));
        assertMessage("values: length 3 does not match the shape's 4 elements", () -> Tensor.fromFloats(DType.FP32, new float[3], 2, 2));
        try (Tensor t = Tensor.allocate(DType.FP32, 2, 2)) {
            assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
            assertThrows(IllegalStateException.class, t::toIntArray);
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        Tensor t = Tensor.allocate(DType.FP32, 4);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, t::segment);
    }

    @Test
    void dtypeNamesParseAndFailClearly() {
        assertEquals(DType.BF16, DType.fromCliName("bf16"));
        assertMessage("dtype: unknown value 'fp64' (expected fp32, fp16, bf16, int8 or int32)", () -> DType.fromCliName("fp64"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
