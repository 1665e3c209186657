package org.kernels4j.vector.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.testing.ReducerConformanceTest;

/** The SIMD reducer against the scalar one, bit for bit. */
class VectorReducerTest extends ReducerConformanceTest {
    /** Crosses the block and vector boundaries of every path, with a tail that fills no vector. */
    private static final long LARGE_COUNT = 3L * HalfBlock.CAPACITY + 37;
    /** Enough loop iterations for C2 to compile the vector loops, whose conversions must agree with the scalar ones. */
    private static final int ROUNDS = 24;

    @Override
    protected Reducer reducer() {
        return VectorReducer.INSTANCE;
    }

    static Stream<Arguments> floatingDtypesAndOps() {
        return Stream.of(DType.FP32, DType.FP16, DType.BF16)
                .flatMap(dtype -> Stream.of(ReduceOp.values()).map(op -> Arguments.of(dtype, op)));
    }

    @ParameterizedTest
    @MethodSource("floatingDtypesAndOps")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void largeReductionsOfRandomBitsEqualScalarReducerOnceCompiled(DType dtype, ReduceOp op) {
        SplittableRandom random = new SplittableRandom(dtype.ordinal() * 8L + op.ordinal());
        long bytes = LARGE_COUNT * dtype.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(bytes + 1);
            MemorySegment expected = arena.allocate(bytes + 3);
            MemorySegment actual = arena.allocate(bytes + 3);
            for (int round = 0; round < ROUNDS; round++) {
                fillWithRandomBits(src, random);
                fillWithRandomBits(expected, random);
                actual.copyFrom(expected);
                ScalarReducer.INSTANCE.reduce(dtype, op, src, 1, expected, 3, LARGE_COUNT);
                VectorReducer.INSTANCE.reduce(dtype, op, src, 1, actual, 3, LARGE_COUNT);
                assertArrayEquals(expected.toArray(ValueLayout.JAVA_BYTE), actual.toArray(ValueLayout.JAVA_BYTE),
                        dtype + " " + op + ", round " + round);
            }
        }
    }

    private static void fillWithRandomBits(MemorySegment segment, SplittableRandom random) {
        for (long i = 0; i < segment.byteSize(); i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
        }
    }
}
