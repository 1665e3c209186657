package org.kernels4j.vector.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;

/** The block's conversions against the scalar definitions in {@code Half} and {@code BFloat16}. */
class FloatBlockTest {
    private static final int N = FloatBlock.CAPACITY;
    private static final ValueLayout.OfShort BITS = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** Low mantissa bits around the rounding points of FP16 (bit 13) and BF16 (bit 16). */
    private static final int[] LOW_BITS = {0, 1, 0x0fff, 0x1000, 0x1001, 0x1fff, 0x7fff, 0x8000, 0x8001, 0xffff};

    @Test
    void loadWidensEveryBitPatternExactly() {
        assertLoads(DType.FP16, Half::toFloat);
        assertLoads(DType.BF16, BFloat16::toFloat);
    }

    @Test
    void storeRoundsToNearestEvenAroundEveryRoundingBoundary() {
        int[] next = {0};
        IntFunction<Float> boundaries = i -> {
            int at = next[0]++;
            return Float.intBitsToFloat((at / LOW_BITS.length) << 16 | LOW_BITS[at % LOW_BITS.length]);
        };
        int patterns = (1 << 16) * LOW_BITS.length;
        for (int done = 0; done < patterns; done += N) {
            float[] values = new float[N];
            for (int i = 0; i < N; i++) {
                values[i] = boundaries.apply(i);
            }
            assertStores(values);
        }
    }

    @Test
    void storeRoundsRandomBitsToNearestEven() {
        SplittableRandom random = new SplittableRandom(16);
        for (int round = 0; round < 256; round++) {
            float[] values = new float[N];
            for (int i = 0; i < N; i++) {
                values[i] = Float.intBitsToFloat(random.nextInt());
            }
            assertStores(values);
        }
    }

    @Test
    void rejectsIntegerDtypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FloatBlock(DType.INT32));
        assertEquals("dtype: INT32 is not a floating dtype", e.getMessage());
    }

    private static void assertLoads(DType dtype, ShortToFloat expected) {
        FloatBlock block = new FloatBlock(dtype);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(2L * N + 1);
            for (int first = 0; first < 1 << 16; first += N) {
                for (int i = 0; i < N; i++) {
                    segment.set(BITS, 1 + 2L * i, (short) (first + i));
                }
                block.load(segment, 1, N);
                for (int i = 0; i < N; i++) {
                    short bits = (short) (first + i);
                    float want = expected.apply(bits);
                    // F16C quiets signalling NaNs; every reducer result stores NaN canonical, so only NaN-ness matters.
                    assertEquals(Float.isNaN(want) ? 1 : Float.floatToRawIntBits(want),
                            Float.isNaN(block.values[i]) ? 1 : Float.floatToRawIntBits(block.values[i]),
                            dtype + " bits " + Integer.toHexString(bits & 0xffff));
                }
            }
        }
    }

    /** NaNs are made canonical first, as every caller of store does. */
    private static void assertStores(float[] values) {
        for (int i = 0; i < N; i++) {
            values[i] = Float.isNaN(values[i]) ? Float.NaN : values[i];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(2L * N);
            for (DType dtype : new DType[] {DType.FP16, DType.BF16}) {
                FloatBlock block = new FloatBlock(dtype);
                System.arraycopy(values, 0, block.values, 0, N);
                block.store(segment, 0, N);
                for (int i = 0; i < N; i++) {
                    short expected = dtype == DType.FP16 ? Half.fromFloat(values[i]) : BFloat16.fromFloat(values[i]);
                    assertEquals(expected, segment.get(BITS, 2L * i),
                            dtype + " of float bits " + Integer.toHexString(Float.floatToRawIntBits(values[i])));
                }
            }
        }
    }

    @FunctionalInterface
    private interface ShortToFloat {
        float apply(short bits);
    }
}
