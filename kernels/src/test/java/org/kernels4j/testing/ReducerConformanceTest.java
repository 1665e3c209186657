package org.kernels4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;

/**
 * Every {@link Reducer} must equal {@link ScalarReducer} bit for bit (ranks may use different ones); extend this
 * and implement {@link #reducer}. Inputs are random bit patterns, which cover NaN payloads, infinities, signed
 * zeros and subnormals, mixed with values whose sums round at FP16/BF16 ties; offsets are odd so that no load is
 * aligned.
 */
public abstract class ReducerConformanceTest {
    private static final long[] COUNTS = {0, 1, 7, 8, 9, 17, 33, 127, 257, 1000};
    private static final long SOURCE_OFFSET = 3;
    private static final long TARGET_OFFSET = 5;

    /** The reducer under test (a subclass skips through {@link Requirements} when it is unavailable). */
    protected abstract Reducer reducer();

    static Stream<Arguments> dtypesAndOps() {
        return Stream.of(DType.values()).flatMap(dtype -> Stream.of(ReduceOp.values())
                .filter(op -> op.supports(dtype)).map(op -> Arguments.of(dtype, op)));
    }

    @ParameterizedTest
    @MethodSource("dtypesAndOps")
    void reduceEqualsScalarReducerBitForBit(DType dtype, ReduceOp op) {
        for (long count : COUNTS) {
            for (int seed = 0; seed < 4; seed++) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment src = fill(arena, dtype, count, SOURCE_OFFSET, seed);
                    MemorySegment expected = fill(arena, dtype, count, TARGET_OFFSET, seed + 100);
                    MemorySegment actual = arena.allocate(expected.byteSize()).copyFrom(expected);
                    ScalarReducer.INSTANCE.reduce(dtype, op, src, SOURCE_OFFSET, expected, TARGET_OFFSET, count);
                    reducer().reduce(dtype, op, src, SOURCE_OFFSET, actual, TARGET_OFFSET, count);
                    assertArrayEquals(expected.toArray(ValueLayout.JAVA_BYTE), actual.toArray(ValueLayout.JAVA_BYTE),
                            dtype + " " + op + ", count " + count + ", seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("floatingDtypes")
    void divideEqualsScalarReducerBitForBit(DType dtype) {
        for (long count : COUNTS) {
            for (int divisor : new int[] {1, 3, 7}) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment expected = fill(arena, dtype, count, TARGET_OFFSET, divisor);
                    MemorySegment actual = arena.allocate(expected.byteSize()).copyFrom(expected);
                    ScalarReducer.INSTANCE.divide(dtype, expected, TARGET_OFFSET, count, divisor);
                    reducer().divide(dtype, actual, TARGET_OFFSET, count, divisor);
                    assertArrayEquals(expected.toArray(ValueLayout.JAVA_BYTE), actual.toArray(ValueLayout.JAVA_BYTE),
                            dtype + " / " + divisor + ", count " + count);
                }
            }
        }
    }

    static Stream<DType> floatingDtypes() {
        return Stream.of(DType.values()).filter(DType::isFloatingPoint);
    }

    @Test
    void checksItsArgumentsAsTheScalarReducerDoes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(64);
            assertThrows(IllegalArgumentException.class,
                    () -> reducer().reduce(DType.INT8, ReduceOp.AVG, segment, 0, segment, 32, 8));
            assertThrows(IllegalArgumentException.class,
                    () -> reducer().reduce(DType.FP32, ReduceOp.SUM, segment, 0, segment, 16, 8));
            assertThrows(IllegalArgumentException.class,
                    () -> reducer().divide(DType.INT32, segment, 0, 4, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> reducer().divide(DType.FP32, segment, 0, 4, 0));
        }
    }

    /**
     * Random bits in every other element; the rest small multiples of a power of two near the dtype's
     * precision, so that sums land on rounding ties.
     */
    private static MemorySegment fill(Arena arena, DType dtype, long count, long offset, int seed) {
        SplittableRandom random = new SplittableRandom(seed * 31L + count);
        MemorySegment segment = arena.allocate(offset + count * dtype.byteSize());
        for (long i = 0; i < count; i++) {
            long at = offset + i * dtype.byteSize();
            boolean randomBits = i % 2 == 0;
            switch (dtype) {
                case FP32 -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, at,
                        randomBits ? random.nextInt() : Float.floatToRawIntBits(random.nextInt(-4, 5) * 0x1p24f + random.nextInt(3)));
                case FP16 -> segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, randomBits ? (short) random.nextInt()
                        : Half.fromFloat(random.nextInt(-4, 5) * 2048f + random.nextInt(3)));
                case BF16 -> segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, randomBits ? (short) random.nextInt()
                        : BFloat16.fromFloat(random.nextInt(-4, 5) * 256f + random.nextInt(3)));
                case INT8 -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt());
                case INT32 -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, at, random.nextInt());
            }
        }
        return segment;
    }
}
