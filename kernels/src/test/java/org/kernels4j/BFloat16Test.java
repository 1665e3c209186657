package org.kernels4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BF16 conversions against an independent definition of round-to-nearest-even: pick the nearer of the
 * two neighbouring BF16 values by exact double arithmetic, the even one on a tie.
 */
class BFloat16Test {
    @Test
    void decodesEveryBitPatternAsTheTopHalfOfAFloat() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float expected = Float.intBitsToFloat(bits << 16);
            float actual = BFloat16.toFloat((short) bits);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual));
        }
    }

    @Test
    void roundsEveryValueMidpointAndNeighbourToNearestEven() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int topBits = bits << 16;
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits));
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits | 0x8000));
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits | 0x7fff));
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits | 0x8001));
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits | 0xffff));
            assertRoundsToNearestEven(Float.intBitsToFloat(topBits | 0x0001));
        }
    }

    @Test
    void roundsRandomFloatsToNearestEven() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            assertRoundsToNearestEven(Float.intBitsToFloat(random.nextInt()));
        }
    }

    @Test
    void keepsNanAndInfinity() {
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0x7f800001)))));
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0xffffffff)))));
        assertEquals(Float.POSITIVE_INFINITY, BFloat16.toFloat(BFloat16.fromFloat(Float.MAX_VALUE)));
        assertEquals(Float.NEGATIVE_INFINITY, BFloat16.toFloat(BFloat16.fromFloat(Float.NEGATIVE_INFINITY)));
    }

    private static void assertRoundsToNearestEven(float value) {
        short actual = BFloat16.fromFloat(value);
        if (Float.isNaN(value)) {
            assertTrue(Float.isNaN(BFloat16.toFloat(actual)));
            return;
        }
        assertEquals(nearestEven(value), Float.floatToRawIntBits(BFloat16.toFloat(actual)),
                () -> "rounding " + value + " (" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
    }

    /** Bits of the BF16 value nearest to {@code value}, by exact comparison in double. */
    private static int nearestEven(float value) {
        int bits = Float.floatToRawIntBits(value);
        int down = bits & 0xffff0000;
        if (down == bits || Float.isInfinite(value)) {
            return bits;
        }
        int up = down + 0x10000;
        double lowValue = Float.intBitsToFloat(down);
        // The neighbour away from zero may be +/-Inf when value lies beyond the largest BF16 value.
        double highValue = (up & 0x7fffffff) == 0x7f800000 ? Math.copySign(0x1p128, value) : Float.intBitsToFloat(up);
        double toLow = Math.abs(value - lowValue);
        double toHigh = Math.abs(highValue - value);
        if (toLow != toHigh) {
            return toLow < toHigh ? down : up;
        }
        return (down & 0x10000) == 0 ? down : up;
    }
}
