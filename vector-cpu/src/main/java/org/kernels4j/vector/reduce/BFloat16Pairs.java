package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.comm.ReduceOp;

/**
 * BF16 reduction straight on the segments, two elements to an INT32 lane: a BF16 is the top half of a float, so
 * one lane widens to two floats with a shift and a mask, with no heap copies and no lane-shuffling conversions.
 * Rounding back is to nearest even, bit-exact with {@code BFloat16.fromFloat} for canonical NaNs. The two
 * elements of a lane are treated alike and stored where they were read, so the byte order does not matter.
 */
final class BFloat16Pairs {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** Elements one vector holds; callers reduce whole multiples of it. */
    static final int ELEMENTS_PER_VECTOR = 2 * INTS.length();

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int HIGH_HALF = 0xffff0000;

    private BFloat16Pairs() {
    }

    /** {@code dst = dst op src} for {@code count} elements, a multiple of {@link #ELEMENTS_PER_VECTOR}. */
    static void reduce(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        long bytes = count * Short.BYTES;
        for (long at = 0; at < bytes; at += INTS.vectorByteSize()) {
            IntVector into = IntVector.fromMemorySegment(INTS, dst, dstOffset + at, ORDER);
            IntVector from = IntVector.fromMemorySegment(INTS, src, srcOffset + at, ORDER);
            FloatVector low = FloatLanes.combine(op, low(into), low(from));
            FloatVector high = FloatLanes.combine(op, high(into), high(from));
            roundToHigh(high).or(roundToHigh(low).lanewise(VectorOperators.LSHR, 16))
                    .intoMemorySegment(dst, dstOffset + at, ORDER);
        }
    }

    private static FloatVector low(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector high(IntVector pairs) {
        return pairs.and(HIGH_HALF).reinterpretAsFloats();
    }

    /** The float rounded to BF16 (nearest even), in the top half of the lane with zeros below. */
    private static IntVector roundToHigh(FloatVector values) {
        IntVector bits = values.reinterpretAsInts();
        IntVector lowestKept = bits.lanewise(VectorOperators.LSHR, 16).and(1);
        return bits.add(0x7fff).add(lowestKept).and(HIGH_HALF);
    }
}
