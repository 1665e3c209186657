package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;

/**
 * A block of FP32, FP16 or BF16 elements as FP32 in a heap array, read from and written back to a segment with
 * bulk copies, so that one vector loop on arrays serves every floating dtype: FP32 reductions and the division
 * of every floating dtype (FP16 and BF16 reduce on cheaper paths of their own). FP16 and BF16 are widened
 * exactly and rounded back once (to nearest even), FP16 through the JDK's conversions (vectorised with F16C
 * where the CPU has it), BF16 in Vector API integer lanes, bit-exact with {@code Half} and {@code BFloat16}
 * (the caller stores NaNs canonical; widening may quiet a signalling NaN, which combines to NaN anyway).
 *
 * <p>Not thread-safe: one per call.
 */
final class FloatBlock {
    static final int CAPACITY = 2048;

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    private static final ValueLayout.OfShort BITS = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    final float[] values = new float[CAPACITY];
    private final short[] bits = new short[CAPACITY];
    private final DType dtype;

    FloatBlock(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("dtype: " + dtype + " is not a floating dtype");
        }
        this.dtype = dtype;
    }

    /** Loads {@code count ≤ CAPACITY} elements from byte {@code offset} into {@link #values}. */
    void load(MemorySegment segment, long offset, int count) {
        if (dtype == DType.FP32) {
            MemorySegment.copy(segment, FLOAT, offset, values, 0, count);
            return;
        }
        MemorySegment.copy(segment, BITS, offset, bits, 0, count);
        if (dtype == DType.FP16) {
            widenHalf(bits, values, count);
        } else {
            widenBFloat16(bits, values, count);
        }
    }

    /** Rounds the first {@code count} {@link #values} and stores them at byte {@code offset}; NaNs must be canonical. */
    void store(MemorySegment segment, long offset, int count) {
        if (dtype == DType.FP32) {
            MemorySegment.copy(values, 0, segment, FLOAT, offset, count);
            return;
        }
        if (dtype == DType.FP16) {
            narrowHalf(values, bits, count);
        } else {
            narrowBFloat16(values, bits, count);
        }
        MemorySegment.copy(bits, 0, segment, BITS, offset, count);
    }

    /** A plain loop: C2 compiles {@code Float.float16ToFloat} on arrays to F16C's vector conversion. */
    private static void widenHalf(short[] bits, float[] values, int count) {
        for (int i = 0; i < count; i++) {
            values[i] = Float.float16ToFloat(bits[i]);
        }
    }

    private static void widenBFloat16(short[] bits, float[] values, int count) {
        for (int i = 0; i < count; i += INTS.length()) {
            IntVector wide = (IntVector) ShortVector.fromArray(SHORTS, bits, i).convertShape(VectorOperators.S2I, INTS, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(values, i);
        }
    }

    /** A plain loop: C2 compiles {@code Float.floatToFloat16} on arrays to F16C's vector conversion (nearest even). */
    private static void narrowHalf(float[] values, short[] bits, int count) {
        for (int i = 0; i < count; i++) {
            bits[i] = Float.floatToFloat16(values[i]);
        }
    }

    private static void narrowBFloat16(float[] values, short[] bits, int count) {
        for (int i = 0; i < count; i += INTS.length()) {
            IntVector f = FloatVector.fromArray(FLOATS, values, i).reinterpretAsInts();
            IntVector rounded = f.add(0x7fff).add(f.lanewise(VectorOperators.LSHR, 16).and(1)).lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) rounded.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(bits, i);
        }
    }
}
