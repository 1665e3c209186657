package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.comm.ReduceOp;

/**
 * FP16 reduction into a heap array of FP16 bits: the Vector API has no FP16 conversion, but C2 compiles
 * {@code Float.float16ToFloat}/{@code floatToFloat16} in plain loops to F16C's vector conversions, so one loop
 * reads both segments, widens, combines and rounds back (to nearest even, as {@code Half.fromFloat}) into the
 * array without a float array between. NaNs are made canonical in FP16 lanes as the block is stored back (the
 * conversion keeps their payloads).
 *
 * <p>Not thread-safe: one per call.
 */
final class HalfBlock {
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    /** Elements the store handles at once; callers reduce whole multiples of it. */
    static final int LANES = SHORTS.length();
    static final int CAPACITY = 4096;

    private static final ValueLayout.OfShort BITS = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final short MAGNITUDE = 0x7fff;
    private static final short INFINITY = 0x7c00;
    private static final short CANONICAL_NAN = 0x7e00;

    private final short[] into = new short[CAPACITY];

    /** {@code dst = dst op src} for {@code count} elements, a multiple of {@link #LANES}. */
    void reduce(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        for (long done = 0; done < count; done += CAPACITY) {
            int n = (int) Math.min(CAPACITY, count - done);
            long offset = done * Short.BYTES;
            combine(op, src, srcOffset + offset, dst, dstOffset + offset, n);
            storeWithCanonicalNaNs(dst, dstOffset + offset, n);
        }
    }

    /**
     * {@code into[i] = dst[i] op src[i]}: one plain loop per op, so that C2 vectorises each with the conversions
     * fused around the operation, reading both segments in the same pass.
     */
    private void combine(ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int n) {
        switch (op) {
            case SUM, AVG -> {
                for (int i = 0; i < n; i++) {
                    into[i] = Float.floatToFloat16(widen(dst, dstOffset, i) + widen(src, srcOffset, i));
                }
            }
            case PROD -> {
                for (int i = 0; i < n; i++) {
                    into[i] = Float.floatToFloat16(widen(dst, dstOffset, i) * widen(src, srcOffset, i));
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    into[i] = Float.floatToFloat16(Math.max(widen(dst, dstOffset, i), widen(src, srcOffset, i)));
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    into[i] = Float.floatToFloat16(Math.min(widen(dst, dstOffset, i), widen(src, srcOffset, i)));
                }
            }
        }
    }

    private static float widen(MemorySegment segment, long offset, int index) {
        return Float.float16ToFloat(segment.get(BITS, offset + (long) index * Short.BYTES));
    }

    private void storeWithCanonicalNaNs(MemorySegment dst, long dstOffset, int n) {
        for (int i = 0; i < n; i += LANES) {
            ShortVector bits = ShortVector.fromArray(SHORTS, into, i);
            bits.blend(CANONICAL_NAN, bits.and(MAGNITUDE).compare(VectorOperators.GT, INFINITY))
                    .intoMemorySegment(dst, dstOffset + (long) i * Short.BYTES, ORDER);
        }
    }
}
