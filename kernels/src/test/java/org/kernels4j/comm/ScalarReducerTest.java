package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Half;
import org.kernels4j.Tensor;

@Timeout(10)
class ScalarReducerTest {
    private static final Reducer REDUCER = ScalarReducer.INSTANCE;

    @Test
    void fp16SumsInFp32AndRoundsOnceToNearestEven() {
        // 2048 + 1 and 2050 + 1 are exact in FP32 and halfway between FP16 neighbours (spacing 2).
        assertEquals(2048, reduceOne(DType.FP16, ReduceOp.SUM, 2048, 1));
        assertEquals(2052, reduceOne(DType.FP16, ReduceOp.SUM, 2050, 1));
        assertEquals(Double.POSITIVE_INFINITY, reduceOne(DType.FP16, ReduceOp.SUM, 65504, 32));
    }

    @Test
    void bf16RoundsOnceToNearestEven() {
        // 256 + 1 lies halfway between BF16 neighbours 256 and 258.
        assertEquals(256, reduceOne(DType.BF16, ReduceOp.SUM, 256, 1));
        assertEquals(260, reduceOne(DType.BF16, ReduceOp.SUM, 258, 1));
    }

    @Test
    void integersWrapInTwosComplement() {
        assertEquals(-128, reduceOne(DType.INT8, ReduceOp.SUM, 127, 1));
        assertEquals(0, reduceOne(DType.INT8, ReduceOp.PROD, 16, 16));
        assertEquals(Integer.MIN_VALUE, reduceOne(DType.INT32, ReduceOp.SUM, Integer.MAX_VALUE, 1));
        assertEquals(-128, reduceOne(DType.INT8, ReduceOp.MIN, -128, 127));
    }

    @Test
    void maxAndMinPropagateNaNAndOrderSignedZeros() {
        assertTrue(Double.isNaN(reduceOne(DType.FP32, ReduceOp.MAX, Double.NaN, 1)));
        assertTrue(Double.isNaN(reduceOne(DType.BF16, ReduceOp.MIN, 1, Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(reduceOne(DType.FP32, ReduceOp.MAX, -0.0, 0.0)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(reduceOne(DType.FP16, ReduceOp.MIN, 0.0, -0.0)));
    }

    @Test
    void nanResultsHaveCanonicalBitsWhicheverOperandCarriedThem() {
        float payloadA = Float.intBitsToFloat(0x7fc00001);
        float payloadB = Float.intBitsToFloat(0xffc00002);
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX, ReduceOp.MIN}) {
            assertEquals(0x7fc00000, fp32Bits(op, payloadA, payloadB), op.toString());
            assertEquals(0x7fc00000, fp32Bits(op, payloadB, payloadA), op.toString());
        }
    }

    @Test
    void averageCombinesAsSumAndDivideRoundsOnce() {
        assertEquals(5, reduceOne(DType.FP16, ReduceOp.AVG, 2, 3));
        try (Tensor t = Tensor.fromFloats(DType.FP16, new float[] {1, 6144}, 2)) {
            REDUCER.divide(DType.FP16, t.segment(), 0, 2, 3);
            assertEquals(Half.toFloat(Half.fromFloat(1f / 3)), t.get(0));
            assertEquals(2048, t.get(1));
        }
    }

    @Test
    void rejectsAverageOfIntegersAndOutOfRangeCounts() {
        try (Tensor a = Tensor.allocate(DType.INT32, 2); Tensor b = Tensor.allocate(DType.INT32, 2)) {
            IllegalArgumentException avg = assertThrows(IllegalArgumentException.class,
                    () -> REDUCER.reduce(DType.INT32, ReduceOp.AVG, a.segment(), 0, b.segment(), 0, 2));
            assertTrue(avg.getMessage().contains("AVG") && avg.getMessage().contains("INT32"), avg.getMessage());
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                    () -> REDUCER.reduce(DType.INT32, ReduceOp.SUM, a.segment(), 0, b.segment(), 4, 2));
            assertTrue(range.getMessage().startsWith("dst: 2 INT32 elements from byte 4"), range.getMessage());
            IllegalArgumentException divisor = assertThrows(IllegalArgumentException.class,
                    () -> REDUCER.divide(DType.FP32, a.segment(), 0, 1, 0));
            assertTrue(divisor.getMessage().startsWith("divisor: 0"), divisor.getMessage());
        }
    }

    @Test
    void rejectsOverlappingSourceAndDestination() {
        try (Tensor t = Tensor.allocate(DType.INT32, 4)) {
            IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                    () -> REDUCER.reduce(DType.INT32, ReduceOp.SUM, t.segment(), 0, t.segment(), 4, 2));
            assertTrue(overlap.getMessage().startsWith("dst: bytes [4, 12) overlap src bytes [0, 8)"), overlap.getMessage());
        }
    }

    private static double reduceOne(DType dtype, ReduceOp op, double dst, double src) {
        try (Tensor d = Tensor.allocate(dtype, 1); Tensor s = Tensor.allocate(dtype, 1)) {
            dtype.write(d.segment(), 0, dst);
            dtype.write(s.segment(), 0, src);
            REDUCER.reduce(dtype, op, s.segment(), 0, d.segment(), 0, 1);
            return d.get(0);
        }
    }

    private static int fp32Bits(ReduceOp op, float dst, float src) {
        MemorySegment d = MemorySegment.ofArray(new float[] {dst});
        MemorySegment s = MemorySegment.ofArray(new float[] {src});
        REDUCER.reduce(DType.FP32, op, s, 0, d, 0, 1);
        return d.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }
}
