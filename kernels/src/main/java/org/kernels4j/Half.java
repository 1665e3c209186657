package org.kernels4j;

/**
 * IEEE 754 binary16 ("half", FP16) conversions, written out bit by bit so that tests can hold them
 * against the JDK's {@code Float.float16ToFloat}/{@code floatToFloat16} as an independent definition.
 *
 * <p>Stateless and thread-safe.
 */
public final class Half {
    /** Largest finite FP16 value. */
    public static final float MAX_VALUE = 65504f;

    private Half() {
    }

    /** Decodes FP16 bits exactly (every FP16 value is a float); NaN payloads are kept in the top bits. */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Rounds a float to the nearest FP16 value, ties to even; overflow gives ±Inf, NaN stays NaN (quiet). */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exponent = (f >>> 23) & 0xff;
        int mantissa = f & 0x7fffff;
        if (exponent == 0xff) {
            if (mantissa == 0) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | (mantissa >>> 13));
        }
        int halfExponent = exponent - 112;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            // Result is subnormal (or zero): shift the full significand and round once.
            if (halfExponent < -10) {
                return (short) sign;
            }
            int significand = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(significand, shift));
        }
        int rounded = roundShift((halfExponent << 23) | mantissa, 13);
        // A carry out of the mantissa moves into the exponent; into 0x7c00 it is the correct overflow to Inf.
        return (short) (sign | rounded);
    }

    /** value >> shift, rounded to nearest with ties to even. */
    static int roundShift(int value, int shift) {
        int truncated = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (remainder > half || (remainder == half && (truncated & 1) != 0)) {
            truncated++;
        }
        return truncated;
    }
}
