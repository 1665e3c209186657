package org.kernels4j;

/**
 * bfloat16 (BF16) conversions: the top 16 bits of a float, rounded to nearest with ties to even.
 *
 * <p>Stateless and thread-safe.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /** Decodes BF16 bits exactly. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds a float to the nearest BF16 value, ties to even; NaN stays NaN (made quiet so it cannot round to Inf). */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7fffffff) > 0x7f800000) {
            return (short) ((f >>> 16) | 0x0040);
        }
        int lsb = (f >>> 16) & 1;
        return (short) ((f + 0x7fff + lsb) >>> 16);
    }
}
