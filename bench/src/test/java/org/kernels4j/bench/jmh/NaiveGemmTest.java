package org.kernels4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The naive baseline must compute the right product, or the JMH comparison against it means nothing. */
class NaiveGemmTest {
    @Test
    void multipliesFloats() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] c = new float[4];
        NaiveGemm.gemm(a, b, c, 2, 2, 3);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
    }

    @Test
    void multipliesBytesIntoInts() {
        byte[] a = {-128, -128};
        byte[] b = {-128, 127};
        int[] c = new int[4];
        NaiveGemm.gemm(a, b, c, 2, 2, 1);
        assertArrayEquals(new int[] {16384, -16256, 16384, -16256}, c);
    }

    @Test
    void refusesArraysThatDoNotMatchTheSizes() {
        assertThrows(IllegalArgumentException.class, () -> NaiveGemm.gemm(new float[5], new float[6], new float[4], 2, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> NaiveGemm.gemm(new byte[0], new byte[0], new int[0], -1, 0, 0));
    }
}
