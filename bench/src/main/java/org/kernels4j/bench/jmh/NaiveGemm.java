package org.kernels4j.bench.jmh;

/**
 * The textbook triple loop, C = A·B on row-major Java arrays: the baseline that shows what packing,
 * register blocking and SIMD buy. Deliberately untuned (i, j, p order, strided walk down B's columns).
 */
public final class NaiveGemm {
    private NaiveGemm() {
    }

    /** Floating inputs (FP16/BF16 inputs given as their float values), float accumulation. */
    public static void gemm(float[] a, float[] b, float[] c, int m, int n, int k) {
        checkSizes(a.length, b.length, c.length, m, n, k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = sum;
            }
        }
    }

    /** INT8 inputs, INT32 accumulation (wrapping). */
    public static void gemm(byte[] a, byte[] b, int[] c, int m, int n, int k) {
        checkSizes(a.length, b.length, c.length, m, n, k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = sum;
            }
        }
    }

    private static void checkSizes(int aLength, int bLength, int cLength, int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("m, n, k: " + m + ", " + n + ", " + k + " must not be negative");
        }
        if ((long) m * k != aLength || (long) k * n != bLength || (long) m * n != cLength) {
            throw new IllegalArgumentException("a, b, c: lengths " + aLength + ", " + bLength + ", " + cLength
                    + " do not match m×k, k×n, m×n for m=" + m + ", n=" + n + ", k=" + k);
        }
    }
}
