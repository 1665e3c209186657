package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.ReduceOp;

class KnownResultFillTest {
    @Test
    void fillsAnySizeAsIfEveryElementWereComputed() {
        long count = 2L * KnownResultFill.PERIOD + 123;
        try (Tensor tensor = Tensor.allocate(DType.BF16, count)) {
            KnownResultFill.fill(DType.BF16, tensor.segment(), count, 77, i -> KnownResultFill.reduced(ReduceOp.AVG, 3, i, DType.BF16));
            for (long k = 0; k < count; k++) {
                assertEquals(DType.BF16.round(KnownResultFill.reduced(ReduceOp.AVG, 3, 77 + k, DType.BF16)), tensor.get(k), "element " + k);
            }
        }
    }

    @Test
    void expectedResultsAreNeitherConstantNorTheSameForEveryRank() {
        for (ReduceOp op : ReduceOp.values()) {
            assertNotEquals(KnownResultFill.reduced(op, 4, 0, DType.FP32), KnownResultFill.reduced(op, 4, 1, DType.FP32), op.toString());
            assertNotEquals(KnownResultFill.input(op, 0, 0), KnownResultFill.input(op, 1, 0), op.toString());
        }
        assertNotEquals(KnownResultFill.input(null, 0, 5), KnownResultFill.input(null, 1, 5));
    }

    @Test
    void sumsStayExactInBf16UpToTheRankLimit() {
        for (long i = 0; i < KnownResultFill.PERIOD; i++) {
            long exact = 0;
            for (int rank = 0; rank < KnownResultFill.MAX_RANKS; rank++) {
                exact += KnownResultFill.input(ReduceOp.SUM, rank, i);
                assertTrue(Math.abs(exact) <= 256, "partial sum " + exact + " at element " + i);
            }
            assertEquals(exact, KnownResultFill.reduced(ReduceOp.SUM, KnownResultFill.MAX_RANKS, i, DType.BF16));
        }
    }

    @Test
    void countsEachDifferingElementOnce() {
        try (Tensor expected = Tensor.fromInts(new int[] {1, 2, 3, 4, 5}, 5);
             Tensor actual = Tensor.fromInts(new int[] {0, 2, 3, 4, 5}, 5)) {
            assertEquals(1, KnownResultFill.wrongElements(actual, expected));
            actual.set(4 + (1 << 24), 3);
            actual.set(6, 4);
            assertEquals(3, KnownResultFill.wrongElements(actual, expected));
            actual.set(1, 0);
            assertEquals(2, KnownResultFill.wrongElements(actual, expected));
        }
    }
}
