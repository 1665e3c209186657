package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Half;

/**
 * The last step of every convolution kernel: sum + bias, rounded once into y's dtype. Float sums (FP32 accumulators)
 * go to FP32, FP16 or BF16 outputs; INT32 sums (exact INT8 products) add the INT32 bias with wrap and go to INT32 or,
 * converted, FP32. Also fills y with the bias before a GEMM accumulates into it, for outputs of the accumulator's type.
 */
final class ConvOutput {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private ConvOutput() {
    }

    /**
     * y[yIndex + i] = sums[from + i] + bias[biasFrom + i] for i &lt; count (channels-last runs; no add without a bias).
     * Vector and scalar lanes round the same one addition, so results do not depend on where a run starts.
     */
    static void writeFloatsPerChannel(float[] sums, int from, int count, ConvBias bias, int biasFrom, MemorySegment y, long yIndex, DType out) {
        float[] b = bias.floats();
        int i = 0;
        if (out == DType.FP32) {
            for (; i <= count - LANES; i += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, sums, from + i);
                if (bias.present()) {
                    v = v.add(FloatVector.fromArray(SPECIES, b, biasFrom + i));
                }
                v.intoMemorySegment(y, (yIndex + i) * Float.BYTES, ORDER);
            }
        }
        for (; i < count; i++) {
            float value = bias.present() ? sums[from + i] + b[biasFrom + i] : sums[from + i];
            storeFloat(y, yIndex + i, value, out);
        }
    }

    /** y[yIndex + i] = sums[from + i] + bias[channel] for i &lt; count (a row of one channel). */
    static void writeFloatsOneChannel(float[] sums, int from, int count, ConvBias bias, long channel, MemorySegment y, long yIndex, DType out) {
        float b = bias.floats()[(int) channel];
        int i = 0;
        if (out == DType.FP32) {
            for (; i <= count - LANES; i += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, sums, from + i);
                if (bias.present()) {
                    v = v.add(b);
                }
                v.intoMemorySegment(y, (yIndex + i) * Float.BYTES, ORDER);
            }
        }
        for (; i < count; i++) {
            storeFloat(y, yIndex + i, bias.present() ? sums[from + i] + b : sums[from + i], out);
        }
    }

    /** y[yIndex + i] = sums[from + i] + bias[biasFrom + i] (INT32, wrapping) into INT32 or FP32. */
    static void writeIntsPerChannel(int[] sums, int from, int count, ConvBias bias, int biasFrom, MemorySegment y, long yIndex, DType out) {
        for (int i = 0; i < count; i++) {
            storeInt(y, yIndex + i, sums[from + i] + bias.ints()[biasFrom + i], out);
        }
    }

    /** y[yIndex + i] = sums[from + i] + bias[channel] (INT32, wrapping) into INT32 or FP32. */
    static void writeIntsOneChannel(int[] sums, int from, int count, ConvBias bias, long channel, MemorySegment y, long yIndex, DType out) {
        int b = bias.ints()[(int) channel];
        for (int i = 0; i < count; i++) {
            storeInt(y, yIndex + i, sums[from + i] + b, out);
        }
    }

    /**
     * Fills a rows × columns block of y (row stride ld, accumulator dtype FP32 or INT32) with the bias of channels
     * {@code firstChannel + j} along each row ({@code channelPerColumn}, channels-last) or of channel
     * {@code firstChannel + i} along row i.
     */
    static void fillBias(MemorySegment y, long yIndex, int rows, int columns, long ld, ConvBias bias, long firstChannel,
                         boolean channelPerColumn, DType accumulator) {
        boolean integer = accumulator == DType.INT32;
        for (int i = 0; i < rows; i++) {
            long row = yIndex + i * ld;
            for (int j = 0; j < columns; j++) {
                int channel = (int) firstChannel + (channelPerColumn ? j : i);
                if (integer) {
                    y.setAtIndex(INT, row + j, bias.ints()[channel]);
                } else {
                    y.setAtIndex(FLOAT, row + j, bias.floats()[channel]);
                }
            }
        }
    }

    private static void storeFloat(MemorySegment y, long index, float value, DType out) {
        switch (out) {
            case FP32 -> y.setAtIndex(FLOAT, index, value);
            case FP16 -> y.setAtIndex(SHORT, index, Half.fromFloat(value));
            case BF16 -> y.setAtIndex(SHORT, index, BFloat16.fromFloat(value));
            default -> throw new IllegalArgumentException("out: " + out + " is not an output of FP32 sums");
        }
    }

    private static void storeInt(MemorySegment y, long index, int value, DType out) {
        switch (out) {
            case INT32 -> y.setAtIndex(INT, index, value);
            case FP32 -> y.setAtIndex(FLOAT, index, (float) value);
            default -> throw new IllegalArgumentException("out: " + out + " is not an output of INT32 sums");
        }
    }
}
