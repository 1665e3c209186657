package org.kernels4j.cli;

import java.util.function.DoubleUnaryOperator;

/** The inputs of a {@code k4j run} test as its expected values are computed from them: as doubles, rounded as the compute dtype rounds them. */
final class ExpectedInputs {
    private ExpectedInputs() {
    }

    /** {@code values}, each through {@code rounding} (the identity for FP32 compute). */
    static double[] rounded(float[] values, DoubleUnaryOperator rounding) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = rounding.applyAsDouble(values[i]);
        }
        return out;
    }

    /** INT8 {@code values}, which every dtype holds exactly. */
    static double[] widened(byte[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
