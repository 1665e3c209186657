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

    /** Items per thread, so that a core slowed by other work hands its share to the others. */
    private static final int ITEMS_PER_THREAD = 4;

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

    /**
     * NHWC: an item is a run of output rows of one image, so that each input row is widened once for all the output
     * rows that read it (the {@link RowCache}).
     */
    private void runChannelsLast(Conv2dSpec spec, MemorySegment x, float[] weights, ConvBias bias, MemorySegment y) {
        int c = (int) spec.c();
        int r = (int) spec.r();
        int s = (int) spec.s();
        int q = (int) spec.q();
        int rowLength = Math.toIntExact((spec.w() + spec.padLeft() + spec.padRight()) * c);
        int participants = pool.threads();
        int rowsPerItem = (int) Math.max(1, Math.min(spec.p(), Math.ceilDiv(spec.n() * spec.p(), (long) ITEMS_PER_THREAD * participants)));
        int itemsPerImage = (int) Math.ceilDiv(spec.p(), rowsPerItem);
        RowCache[] caches = new RowCache[participants];
        float[][] sums = new float[participants][];
        pool.forEach(Math.toIntExact(spec.n() * itemsPerImage), (item, participant) -> {
            if (caches[participant] == null) {
                caches[participant] = new RowCache(r, 1, rowLength);
                sums[participant] = new float[q * c];
            }
            RowCache cache = caches[participant];
            float[] out = sums[participant];
            long n = item / itemsPerImage;
            long firstRow = (long) (item % itemsPerImage) * rowsPerItem;
            long image = n * spec.h() * spec.w() * c;
            cache.clear();
            for (long p = firstRow; p < Math.min(spec.p(), firstRow + rowsPerItem); p++) {
                float[][] input = cache.rows(spec, p, ih -> paddedRow(spec, x, image + ih * spec.w() * c, ih, c, cache.target()));
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
            }
        });
    }

    /**
     * NCHW: an item is one channel of one image. Each padded input row is split into stride phases (every stride-th
     * element from element f), so that tap t of output q reads phase t·d % stride at q + t·d / stride.
     */
    private void runChannelsFirst(Conv2dSpec spec, MemorySegment x, float[] weights, ConvBias bias, MemorySegment y) {
        int r = (int) spec.r();
        int s = (int) spec.s();
        int q = (int) spec.q();
        int stride = spec.strideW();
        int dilation = spec.dilationW();
        int padded = Math.toIntExact(spec.w() + spec.padLeft() + spec.padRight());
        int participants = pool.threads();
        RowCache[] caches = new RowCache[participants];
        float[][] rowBuffers = new float[participants][];
        float[][] sums = new float[participants][];
        pool.forEach(Math.toIntExact(spec.n() * spec.c()), (item, participant) -> {
            if (caches[participant] == null) {
                caches[participant] = new RowCache(r, stride, Math.ceilDiv(padded, stride));
                rowBuffers[participant] = new float[padded];
                sums[participant] = new float[q];
            }
            RowCache cache = caches[participant];
            float[] row = rowBuffers[participant];
            float[] out = sums[participant];
            long n = item / spec.c();
            long channel = item % spec.c();
            int weightBase = (int) channel * r * s;
            long plane = (n * spec.c() + channel) * spec.h() * spec.w();
            cache.clear();
            for (long p = 0; p < spec.p(); p++) {
                float[][][] phases = cache.phases(spec, p, ih -> {
                    paddedRow(spec, x, plane + ih * spec.w(), ih, 1, row);
                    float[][] target = cache.targetPhases();
                    for (int f = 0; f < stride; f++) {
                        float[] phase = target[f];
                        for (int j = 0, at = f; at < padded; j++, at += stride) {
                            phase[j] = row[at];
                        }
                    }
                });
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

    /** Widens input row {@code ih} into the slot the {@link RowCache} hands out. */
    @FunctionalInterface
    private interface RowFiller {
        void fill(long ih);
    }

    /**
     * The widened, padded input rows (each split into phases) that the filter rows of an output row read, kept in R
     * slots while later output rows read them too: with unit stride each input row is widened once instead of R times.
     * All rows in the padding share one key (they are all zeros).
     */
    private static final class RowCache {
        private static final long EMPTY = Long.MIN_VALUE;
        private static final long PADDING = Long.MIN_VALUE + 1;

        private final long[] keys;
        private final float[][][] slots;
        private final long[] needed;
        private final float[][][] rows;
        private final float[][] firstPhases;
        private int filling;

        RowCache(int filterRows, int phases, int phaseLength) {
            keys = new long[filterRows];
            slots = new float[filterRows][phases][phaseLength];
            needed = new long[filterRows];
            rows = new float[filterRows][][];
            firstPhases = new float[filterRows][];
        }

        void clear() {
            Arrays.fill(keys, EMPTY);
        }

        /** For a filler: the single phase (the padded row) of the slot being filled. */
        float[] target() {
            return slots[filling][0];
        }

        /** For a filler: the phases of the slot being filled. */
        float[][] targetPhases() {
            return slots[filling];
        }

        /** The padded rows (first phase) read by output row {@code p}, filter row by filter row. */
        float[][] rows(Conv2dSpec spec, long p, RowFiller filler) {
            float[][][] phases = phases(spec, p, filler);
            for (int i = 0; i < phases.length; i++) {
                firstPhases[i] = phases[i][0];
            }
            return firstPhases;
        }

        /** The phases of the rows read by output row {@code p}, filter row by filter row; fills the missing ones. */
        float[][][] phases(Conv2dSpec spec, long p, RowFiller filler) {
            for (int i = 0; i < needed.length; i++) {
                long ih = p * spec.strideH() - spec.padTop() + (long) i * spec.dilationH();
                needed[i] = ih < 0 || ih >= spec.h() ? PADDING : ih;
            }
            for (int i = 0; i < needed.length; i++) {
                int slot = slotHolding(needed[i]);
                if (slot < 0) {
                    slot = slotNotNeeded();
                    keys[slot] = needed[i];
                    filling = slot;
                    filler.fill(needed[i] == PADDING ? -1 : needed[i]);
                }
                rows[i] = slots[slot];
            }
            return rows;
        }

        private int slotHolding(long key) {
            for (int slot = 0; slot < keys.length; slot++) {
                if (keys[slot] == key) {
                    return slot;
                }
            }
            return -1;
        }

        /** A slot whose row this output row does not read: there are R slots and at most R rows are read. */
        private int slotNotNeeded() {
            for (int slot = 0; slot < keys.length; slot++) {
                boolean inUse = false;
                for (long key : needed) {
                    inUse |= keys[slot] == key;
                }
                if (!inUse) {
                    return slot;
                }
            }
            throw new IllegalStateException("no free row slot among " + Arrays.toString(keys) + " for " + Arrays.toString(needed));
        }
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
