package org.kernels4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element types. Floating types round to nearest, ties to even, when values are stored into them;
 * integer types store the nearest integer modulo 2^bits (two's-complement wrap).
 */
public enum DType {
    FP32(4, true, 0x1p-24),
    FP16(2, true, 0x1p-11),
    BF16(2, true, 0x1p-8),
    INT8(1, false, 0),
    INT32(4, false, 0);

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final int byteSize;
    private final boolean floatingPoint;
    private final double unitRoundoff;

    DType(int byteSize, boolean floatingPoint, double unitRoundoff) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
        this.unitRoundoff = unitRoundoff;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Unit roundoff u (half an ulp of 1): 2^-24 for FP32, 2^-11 for FP16, 2^-8 for BF16, 0 for integers. */
    public double unitRoundoff() {
        return unitRoundoff;
    }

    /** Largest finite value (integers: largest value). */
    public double maxValue() {
        return switch (this) {
            case FP32 -> Float.MAX_VALUE;
            case FP16 -> Half.MAX_VALUE;
            case BF16 -> BFloat16.toFloat((short) 0x7f7f);
            case INT8 -> Byte.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
        };
    }

    /** Lower-case name as used on the command line (fp32, fp16, bf16, int8, int32). */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a command-line name; fails naming the value and the accepted names. */
    public static DType fromCliName(String name) {
        for (DType t : values()) {
            if (t.cliName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("dtype: unknown value '" + name + "' (expected fp32, fp16, bf16, int8 or int32)");
    }

    /** Reads element {@code index} (in elements, not bytes) of {@code segment} exactly as a double. */
    public double read(MemorySegment segment, long index) {
        long offset = index * byteSize;
        return switch (this) {
            case FP32 -> segment.get(FLOAT, offset);
            case FP16 -> Half.toFloat(segment.get(SHORT, offset));
            case BF16 -> BFloat16.toFloat(segment.get(SHORT, offset));
            case INT8 -> segment.get(ValueLayout.JAVA_BYTE, offset);
            case INT32 -> segment.get(INT, offset);
        };
    }

    /**
     * Stores {@code value} into element {@code index}: floating types round to nearest even (FP16/BF16 via
     * FP32, so a double lying within 2^-24 relative of a half-way point may round twice); integer types
     * take the nearest integer and wrap.
     */
    public void write(MemorySegment segment, long index, double value) {
        long offset = index * byteSize;
        switch (this) {
            case FP32 -> segment.set(FLOAT, offset, (float) value);
            case FP16 -> segment.set(SHORT, offset, Half.fromFloat((float) value));
            case BF16 -> segment.set(SHORT, offset, BFloat16.fromFloat((float) value));
            case INT8 -> segment.set(ValueLayout.JAVA_BYTE, offset, (byte) wrapToLong(value));
            case INT32 -> segment.set(INT, offset, (int) wrapToLong(value));
        }
    }

    /** The value this dtype would store for {@code value}, as a double (FP32 → float rounding, etc.). */
    public double round(double value) {
        return switch (this) {
            case FP32 -> (float) value;
            case FP16 -> Half.toFloat(Half.fromFloat((float) value));
            case BF16 -> BFloat16.toFloat(BFloat16.fromFloat((float) value));
            case INT8 -> (byte) wrapToLong(value);
            case INT32 -> (int) wrapToLong(value);
        };
    }

    private static long wrapToLong(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("value: " + value + " cannot be stored in an integer dtype");
        }
        double r = Math.rint(value);
        if (Math.abs(r) < 0x1p62) {
            return (long) r;
        }
        // Beyond 2^62 a double is a multiple of 2^10 or more; reduce modulo 2^32 exactly before narrowing.
        return (long) Math.IEEEremainder(r, 0x1p32);
    }
}
