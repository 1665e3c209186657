package org.kernels4j.cli;

import java.util.SplittableRandom;

/** Input values for the k4j run tests, drawn from the test's own seeded generator. */
final class RandomValues {
    private RandomValues() {
    }

    /** Uniform in [−1, 1). */
    static float[] floats(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    /** Every INT8 value, −128 included. */
    static byte[] bytes(SplittableRandom random, int count) {
        byte[] values = new byte[count];
        for (int i = 0; i < count; i++) {
            values[i] = (byte) random.nextInt(-128, 128);
        }
        return values;
    }
}
