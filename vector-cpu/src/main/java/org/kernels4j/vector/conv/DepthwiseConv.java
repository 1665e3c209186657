package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.WorkerPool;

/**
 * Depthwise convolution (groups = C = K, one R×S filter per channel) computed directly: as GEMM each group would be
 * a product with a single column. Input rows are first widened to FP32 into buffers that include the padding as
 * zeros, so that the inner loops have no bounds tests and padding multiplies like any input (0·∞ = NaN, as in
 * {@link Conv2dSpec}); then each output vector accumulates its R·S taps with FMA, in tap order, and the scalar tail
 * does the same operations, so results do not depend on where vectors start.
 * <ul>
 *   <li>NHWC: vectors run across channels; one item is one output row of one image.</li>
 *   <li>NCHW: vectors run along an output row; one item is one channel of one image. A stride s is handled by
 *       splitting each padded input row into s phases (every s-th element), so that every tap reads a contiguous run.</li>
 * </ul>
 * Floating inputs only (FP32, FP16, BF16); outputs FP32, FP16 or BF16.
 *
 * <p>Thread safety: {@link #run} may be called from several threads at once.
 */
final class DepthwiseConv {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final WorkerPool pool;

    DepthwiseConv(WorkerPool pool) {
        this.pool = pool;
    }

    void run(Conv2dSpec spec, MemorySegment x, MemorySegment w, ConvBias bias, MemorySegment y) {
        if (!spec.isDepthwise() || !spec.inputType().isFloatingPoint()) {
            throw new IllegalArgumentException("spec: " + spec + " is not a depthwise convolution of floating inputs");
        }
        int channels = Math.toIntExact(spec.c());
        int taps = Math.toIntExact(spec.r() * spec.s());
        // Both layouts store the weights as [C, R, S] (one input channel per filter).
        float[] weights = new float[channels * taps];
        widen(w, 0, spec.inputType(), weights, 0, weights.length);
        if (spec.layout() == Layout.NHWC) {
            float[] tapMajor = new float[weights.length];
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    tapMajor[t * channels + c] = weights[c * taps + t];
                }
            }
            runChannelsLast(spec, x, tapMajor, bias, y);
        } else {
            runChannelsFirst(spec, x, weights, bias, y);
        }
    }

    /** NHWC: item (n, p); rows[r] holds input row ih(p, r) of all channels, padded left and right. */
    private void runChannelsLast(Conv2dSpec spec, MemorySegment x, float[] weights, ConvBias bias, MemorySegment y) {
        int c = (int) spec.c();
        int r = (int) spec.r();
        int s = (int) spec.s();
        int q = (int) spec.q();
        int rowLength = Math.toIntExact((spec.w() + spec.padLeft() + spec.padRight()) * c);
        int participants = pool.threads();
        float[][][] rows = new float[participants][][];
        float[][] sums = new float[participants][];
        pool.forEach(Math.toIntExact(spec.n() * spec.p()), (item, participant) -> {
            if (rows[participant] == null) {
                rows[participant] = new float[r][rowLength];
                sums[participant] = new float[q * c];
            }
            float[][] input = rows[participant];
            float[] out = sums[participant];
            long n = item / spec.p();
            long p = item % spec.p();
            for (int i = 0; i < r; i++) {
                long ih = p * spec.strideH() - spec.padTop() + (long) i * spec.dilationH();
                paddedRow(spec, x, ((n * spec.h() + ih) * spec.w()) * c, ih, c, input[i]);
            }
            int pixelStep = spec.strideW() * c;
            int tapStep = spec.dilationW() * c;
            for (int j = 0; j < q; j++) {
                int channel = 0;
                for (; channel <= c - LANES; channel += LANES) {
                    FloatVector acc = FloatVector.zero(SPECIES);
                    for (int i = 0; i < r; i++) {
                        float[] row = input[i];
                        int weight = i * s * c + channel;
                        for (int t = 0, at = j * pixelStep + channel; t < s; t++, at += tapStep, weight += c) {
                            acc = FloatVector.fromArray(SPECIES, row, at).fma(FloatVector.fromArray(SPECIES, weights, weight), acc);
                        }
                    }
                    acc.intoArray(out, j * c + channel);
                }
                for (; channel < c; channel++) {
                    float acc = 0f;
                    for (int i = 0; i < r; i++) {
                        float[] row = input[i];
                        int weight = i * s * c + channel;
                        for (int t = 0, at = j * pixelStep + channel; t < s; t++, at += tapStep, weight += c) {
                            acc = Math.fma(row[at], weights[weight], acc);
                        }
                    }
                    out[j * c + channel] = acc;
                }
            }
            long yIndex = (n * spec.p() + p) * spec.q() * c;
            for (int j = 0; j < q; j++) {
                ConvOutput.writeFloatsPerChannel(out, j * c, c, bias, 0, y, yIndex + (long) j * c, spec.outputType());
            }
        });
    }

    /**
     * NCHW: item (n, c); for each output row, phases[r][f] holds every stride-th element of the padded input row
     * ih(p, r) from element f, so that tap t of output q reads phases[r][t·d % stride][q + t·d / stride].
     */
    private void runChannelsFirst(Conv2dSpec spec, MemorySegment x, float[] weights, ConvBias bias, MemorySegment y) {
        int r = (int) spec.r();
        int s = (int) spec.s();
        int q = (int) spec.q();
        int stride = spec.strideW();
        int dilation = spec.dilationW();
        int padded = Math.toIntExact(spec.w() + spec.padLeft() + spec.padRight());
        int phaseLength = Math.ceilDiv(padded, stride);
        int participants = pool.threads();
        float[][] rowBuffers = new float[participants][];
        float[][][][] phaseBuffers = new float[participants][][][];
        float[][] sums = new float[participants][];
        pool.forEach(Math.toIntExact(spec.n() * spec.c()), (item, participant) -> {
            if (sums[participant] == null) {
                rowBuffers[participant] = new float[padded];
                phaseBuffers[participant] = new float[r][stride][phaseLength];
                sums[participant] = new float[q];
            }
            float[] row = rowBuffers[participant];
            float[][][] phases = phaseBuffers[participant];
            float[] out = sums[participant];
            long n = item / spec.c();
            long channel = item % spec.c();
            int weightBase = (int) channel * r * s;
            long plane = (n * spec.c() + channel) * spec.h() * spec.w();
            for (long p = 0; p < spec.p(); p++) {
                for (int i = 0; i < r; i++) {
                    long ih = p * spec.strideH() - spec.padTop() + (long) i * spec.dilationH();
                    paddedRow(spec, x, plane + ih * spec.w(), ih, 1, row);
                    for (int f = 0; f < stride; f++) {
                        float[] phase = phases[i][f];
                        for (int j = 0, at = f; at < padded; j++, at += stride) {
                            phase[j] = row[at];
                        }
                    }
                }
                int j = 0;
                for (; j <= q - LANES; j += LANES) {
                    FloatVector acc = FloatVector.zero(SPECIES);
                    for (int i = 0; i < r; i++) {
                        for (int t = 0; t < s; t++) {
                            int offset = t * dilation;
                            FloatVector input = FloatVector.fromArray(SPECIES, phases[i][offset % stride], j + offset / stride);
                            acc = input.fma(FloatVector.broadcast(SPECIES, weights[weightBase + i * s + t]), acc);
                        }
                    }
                    acc.intoArray(out, j);
                }
                for (; j < q; j++) {
                    float acc = 0f;
                    for (int i = 0; i < r; i++) {
                        for (int t = 0; t < s; t++) {
                            int offset = t * dilation;
                            acc = Math.fma(phases[i][offset % stride][j + offset / stride], weights[weightBase + i * s + t], acc);
                        }
                    }
                    out[j] = acc;
                }
                long yIndex = ((n * spec.k() + channel) * spec.p() + p) * spec.q();
                ConvOutput.writeFloatsOneChannel(out, 0, q, bias, channel, y, yIndex, spec.outputType());
            }
        });
    }

    /**
     * Fills {@code row} with the input row starting at element {@code start} ({@code elementsPerPixel} per pixel),
     * widened, between padLeft and padRight pixels of zeros; all zeros when input row {@code ih} lies in the padding.
     */
    private static void paddedRow(Conv2dSpec spec, MemorySegment x, long start, long ih, int elementsPerPixel, float[] row) {
        if (ih < 0 || ih >= spec.h()) {
            Arrays.fill(row, 0f);
            return;
        }
        int left = spec.padLeft() * elementsPerPixel;
        int length = Math.toIntExact(spec.w() * elementsPerPixel);
        Arrays.fill(row, 0, left, 0f);
        widen(x, start, spec.inputType(), row, left, length);
        Arrays.fill(row, left + length, row.length, 0f);
    }

    /** Widens {@code count} elements of a floating dtype from element {@code index} of {@code source} to FP32, exactly. */
    private static void widen(MemorySegment source, long index, DType type, float[] target, int targetIndex, int count) {
        switch (type) {
            case FP32 -> MemorySegment.copy(source, FLOAT, index * Float.BYTES, target, targetIndex, count);
            case FP16 -> {
                for (int i = 0; i < count; i++) {
                    target[targetIndex + i] = Float.float16ToFloat(source.getAtIndex(SHORT, index + i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target[targetIndex + i] = BFloat16.toFloat(source.getAtIndex(SHORT, index + i));
                }
            }
            default -> throw new IllegalArgumentException("type: " + type + " is not a floating input dtype");
        }
    }
}
