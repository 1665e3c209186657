package org.kernels4j.bench;

import java.util.Objects;

/**
 * The m×n×k of a benchmarked GEMM (op(A) m×k, op(B) k×n); every extent at least 1.
 *
 * @param m rows of C
 * @param n columns of C
 * @param k reduction length
 */
public record GemmShape(int m, int n, int k) {
    public GemmShape {
        requirePositive("m", m);
        requirePositive("n", n);
        requirePositive("k", k);
    }

    /** n×n×n. */
    public static GemmShape square(int n) {
        return new GemmShape(n, n, n);
    }

    /**
     * Parses "512" (square) or "MxNxK" ("1x4096x4096"; '×' works too).
     *
     * @throws IllegalArgumentException naming the text when it is neither, or an extent is not at least 1
     */
    public static GemmShape parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.strip().split("[x×X]", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is neither a size (512) nor MxNxK (1x4096x4096)");
        }
        int[] extents = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                extents[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is neither a size (512) nor MxNxK (1x4096x4096)");
            }
            if (extents[i] < 1) {
                throw new IllegalArgumentException("'" + text + "' has an extent of " + extents[i] + "; sizes must be at least 1");
            }
        }
        return parts.length == 1 ? square(extents[0]) : new GemmShape(extents[0], extents[1], extents[2]);
    }

    /** Multiply-adds counted twice: 2·m·n·k. */
    public double operations() {
        return 2.0 * m * n * k;
    }

    @Override
    public String toString() {
        return m + "×" + n + "×" + k;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " is less than 1");
        }
    }
}
