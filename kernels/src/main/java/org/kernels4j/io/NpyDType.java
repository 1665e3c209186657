package org.kernels4j.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Half;

/**
 * The numpy element types that {@code .npy} files may hold here, by their numpy type string ("descr").
 * Data is little-endian in every case ({@code '|i1'} has no byte order); big-endian files are rejected
 * when read, since numpy itself writes native (little-endian on x86 and ARM) order.
 */
public enum NpyDType {
    FLOAT32("<f4", "float32", 4, true),
    FLOAT16("<f2", "float16", 2, true),
    FLOAT64("<f8", "float64", 8, true),
    INT8("|i1", "int8", 1, false),
    INT32("<i4", "int32", 4, false);

    /** The names users know, in the order error messages list them. */
    static final String SUPPORTED = "float32, float16, float64, int8 or int32";

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String descr;
    private final String numpyName;
    private final int itemSize;
    private final boolean floatingPoint;

    NpyDType(String descr, String numpyName, int itemSize, boolean floatingPoint) {
        this.descr = descr;
        this.numpyName = numpyName;
        this.itemSize = itemSize;
        this.floatingPoint = floatingPoint;
    }

    /** The type string numpy writes for this type ("&lt;f4", "|i1", ...). */
    public String descr() {
        return descr;
    }

    /** numpy's name ("float32", "int8", ...). */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * The type a type string names, or null when it is none of these. {@code '<i1'} is accepted as a
     * synonym of {@code '|i1'}: a byte has no order, and some writers still mark it little-endian.
     */
    static NpyDType fromDescr(String descr) {
        Objects.requireNonNull(descr, "descr");
        if (descr.equals("<i1")) {
            return INT8;
        }
        for (NpyDType t : values()) {
            if (t.descr.equals(descr)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The file type a tensor of {@code dtype} is written as: FP32, FP16, INT8 and INT32 as themselves, BF16
     * as float32 (numpy has no bfloat16; every BF16 value is exactly a float32 value).
     */
    public static NpyDType forTensor(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        return switch (dtype) {
            case FP32, BF16 -> FLOAT32;
            case FP16 -> FLOAT16;
            case INT8 -> INT8;
            case INT32 -> INT32;
        };
    }

    /** Element {@code index} of little-endian {@code data}, exactly, as a double. */
    double read(MemorySegment data, long index) {
        long offset = index * itemSize;
        return switch (this) {
            case FLOAT32 -> data.get(FLOAT, offset);
            case FLOAT16 -> Half.toFloat(data.get(SHORT, offset));
            case FLOAT64 -> data.get(DOUBLE, offset);
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, offset);
            case INT32 -> data.get(INT, offset);
        };
    }

    /** Stores {@code value}, which this type represents exactly, as element {@code index} of little-endian {@code data}. */
    void write(MemorySegment data, long index, double value) {
        long offset = index * itemSize;
        switch (this) {
            case FLOAT32 -> data.set(FLOAT, offset, (float) value);
            case FLOAT16 -> data.set(SHORT, offset, Half.fromFloat((float) value));
            case FLOAT64 -> data.set(DOUBLE, offset, value);
            case INT8 -> data.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case INT32 -> data.set(INT, offset, (int) value);
        }
    }
}
