package org.kernels4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FP16 conversions against the JDK's independent implementation, over every bit pattern. */
class HalfTest {
    @Test
    void decodesEveryBitPatternLikeTheJdk() {
        for (int pattern = 0; pattern < 1 << 16; pattern++) {
            int bits = pattern;
            float expected = Float.float16ToFloat((short) bits);
            float actual = Half.toFloat((short) bits);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), () -> "NaN pattern " + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), () -> "pattern " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void roundsEveryValueMidpointAndNeighbourLikeTheJdk() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float value = Half.toFloat((short) bits);
            assertEncodesLikeJdk(value);
            assertEncodesLikeJdk(Math.nextUp(value));
            assertEncodesLikeJdk(Math.nextDown(value));
            if ((bits & 0x7fff) < 0x7c00) {
                // The exact midpoint to the next FP16 value (representable in float): a tie, rounds to even.
                float next = Half.toFloat((short) (bits + 1));
                float midpoint = (float) (((double) value + next) / 2);
                assertEncodesLikeJdk(midpoint);
                assertEncodesLikeJdk(Math.nextUp(midpoint));
                assertEncodesLikeJdk(Math.nextDown(midpoint));
            }
        }
    }

    @Test
    void roundsRandomFloatsLikeTheJdk() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            assertEncodesLikeJdk(Float.intBitsToFloat(random.nextInt()));
        }
    }

    @Test
    void overflowsToInfinityAndKeepsTheLargestFiniteValue() {
        assertEquals(Half.MAX_VALUE, Half.toFloat(Half.fromFloat(65504f)));
        assertEquals(Half.MAX_VALUE, Half.toFloat(Half.fromFloat(65519.99f)));
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(65520f)));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat(Half.fromFloat(-1e10f)));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
    }

    private static void assertEncodesLikeJdk(float value) {
        short expected = Float.floatToFloat16(value);
        short actual = Half.fromFloat(value);
        if (Float.isNaN(value)) {
            assertTrue(Float.isNaN(Half.toFloat(actual)), () -> "NaN input " + Float.floatToRawIntBits(value));
        } else {
            assertEquals(expected, actual, () -> "encoding " + value + " (" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
        }
    }
}
