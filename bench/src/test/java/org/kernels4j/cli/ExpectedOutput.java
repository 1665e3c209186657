package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.validate.ErrorBound;

/**
 * What a {@code k4j run} test expects of each output element, computed in double from the rounded inputs: its value,
 * and the magnitude (the sum of the absolute terms) that DESIGN.md's error bound scales with.
 */
record ExpectedOutput(double[] values, double[] magnitudes) {
    ExpectedOutput {
        if (values.length != magnitudes.length) {
            throw new IllegalArgumentException("magnitudes: " + magnitudes.length + " of them for " + values.length + " values");
        }
    }

    /** Holds {@code actual} to the GEMM bound of {@code spec}. */
    void check(double[] actual, GemmSpec spec) {
        check(actual, ErrorBound.forGemm(spec));
    }

    /** Holds {@code actual} to the convolution bound of {@code spec}. */
    void check(double[] actual, Conv2dSpec spec) {
        check(actual, ErrorBound.forConv2d(spec));
    }

    /** Requires {@code actual} to be the values exactly, as INT32 (the integer results wrap). */
    void checkExact(double[] actual) {
        for (int e = 0; e < values.length; e++) {
            assertEquals((int) (long) values[e], actual[e], "element " + e);
        }
    }

    private void check(double[] actual, ErrorBound bound) {
        assertEquals(values.length, actual.length);
        for (int e = 0; e < values.length; e++) {
            double allowed = bound.allowed(values[e], magnitudes[e]);
            assertTrue(Math.abs(actual[e] - values[e]) <= allowed,
                    "element " + e + ": " + actual[e] + " vs " + values[e] + " (allowed ±" + allowed + ")");
        }
    }
}
