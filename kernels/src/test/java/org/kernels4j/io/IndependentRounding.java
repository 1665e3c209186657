package org.kernels4j.io;

/**
 * FP16 and BF16 rounding written independently of {@link org.kernels4j.Half} and
 * {@link org.kernels4j.BFloat16}, so that tests of conversions do not check the code against itself:
 * FP16 through the JDK's {@code Float.floatToFloat16}, BF16 by choosing the nearer of the two
 * neighbouring BF16 values (ties to the even one).
 */
public final class IndependentRounding {
    private IndependentRounding() {
    }

    public static float toHalf(float value) {
        return Float.float16ToFloat(Float.floatToFloat16(value));
    }

    public static float toBfloat16(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            return value;
        }
        int bits = Float.floatToRawIntBits(value);
        float down = Float.intBitsToFloat(bits & 0xffff0000);
        float up = Float.intBitsToFloat((bits & 0xffff0000) + 0x10000);
        double toDown = Math.abs((double) value - down);
        double toUp = Math.abs((double) up - value);
        if (toDown != toUp) {
            return toDown < toUp ? down : up;
        }
        return ((bits >>> 16) & 1) == 0 ? down : up;
    }
}
