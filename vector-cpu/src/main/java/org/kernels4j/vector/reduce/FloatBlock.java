package org.kernels4j.vector.reduce;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;

/**
 * A block of FP32, FP16 or BF16 elements as FP32 in a heap array, read from and written back to a segment with
 * bulk copies, so that one vector loop on arrays combines every floating dtype. FP16 and BF16 are widened
 * exactly and rounded back once (to nearest even) in Vector API integer lanes — JDK 25's Vector API has no FP16
 * conversion — bit-exact with {@code Half} and {@code BFloat16} (the caller stores NaNs canonical).
 *
 * <p>Not thread-safe: one per call.
 */
final class FloatBlock {
    static final int CAPACITY = 2048;

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    private static final int FP32_INFINITY = 0x7f800000;
    private static final int FP16_INFINITY = 0x7c00;
    private static final int FP16_QUIET_NAN = 0x7e00;
    /** |x| at or above 2^16 rounds to FP16 infinity (or is Inf/NaN); 65520 ≤ |x| < 2^16 overflows by rounding. */
    private static final int FP16_OVERFLOW_BITS = (127 + 16) << 23;
    /** |x| below 2^-14, the smallest normal FP16 value, becomes a subnormal or zero. */
    private static final int FP16_SUBNORMAL_BITS = (127 - 14) << 23;
    /**
     * 0.5f: adding it to a tiny |x| leaves the sum's mantissa counting units of 2^-24, the FP16 subnormal step,
     * so the FPU's own round-to-nearest-even does the FP16 rounding.
     */
    private static final int SUBNORMAL_ROUNDING_BITS = 126 << 23;
    private static final int EXPONENT_REBIAS = (15 - 127) << 23;
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

    private static void widenHalf(short[] bits, float[] values, int count) {
        for (int i = 0; i < count; i += INTS.length()) {
            IntVector h = (IntVector) ShortVector.fromArray(SHORTS, bits, i).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector magnitude = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
            // Scaling by 2^112 re-biases the exponent and normalises subnormals exactly, in one multiply.
            IntVector finite = magnitude.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
            VectorMask<Integer> infOrNan = magnitude.compare(VectorOperators.GE, FP16_INFINITY << 13);
            finite.blend(magnitude.or(FP32_INFINITY), infOrNan).or(h.and(0x80000000)).reinterpretAsFloats().intoArray(values, i);
        }
    }

    private static void widenBFloat16(short[] bits, float[] values, int count) {
        for (int i = 0; i < count; i += INTS.length()) {
            IntVector wide = (IntVector) ShortVector.fromArray(SHORTS, bits, i).convertShape(VectorOperators.S2I, INTS, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(values, i);
        }
    }

    private static void narrowHalf(float[] values, short[] bits, int count) {
        for (int i = 0; i < count; i += INTS.length()) {
            IntVector f = FloatVector.fromArray(FLOATS, values, i).reinterpretAsInts();
            IntVector magnitude = f.and(0x7fffffff);
            IntVector lowBit = magnitude.lanewise(VectorOperators.LSHR, 13).and(1);
            IntVector normal = magnitude.add(EXPONENT_REBIAS + 0xfff).add(lowBit).lanewise(VectorOperators.LSHR, 13);
            IntVector subnormal = magnitude.reinterpretAsFloats().add(Float.intBitsToFloat(SUBNORMAL_ROUNDING_BITS))
                    .reinterpretAsInts().sub(SUBNORMAL_ROUNDING_BITS);
            IntVector nan = magnitude.lanewise(VectorOperators.LSHR, 13).and(0x3ff).or(FP16_QUIET_NAN);
            IntVector overflow = IntVector.broadcast(INTS, FP16_INFINITY)
                    .blend(nan, magnitude.compare(VectorOperators.GT, FP32_INFINITY));
            IntVector half = normal.blend(subnormal, magnitude.compare(VectorOperators.LT, FP16_SUBNORMAL_BITS))
                    .blend(overflow, magnitude.compare(VectorOperators.GE, FP16_OVERFLOW_BITS))
                    .or(f.and(0x80000000).lanewise(VectorOperators.LSHR, 16));
            ((ShortVector) half.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(bits, i);
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
