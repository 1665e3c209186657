package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.kernels4j.DType;

/**
 * {@link VectorGemm}'s micro-kernel, block sizes and tile epilogue for callers that pack their own operands into its
 * panels: a convolution packs its input windows straight into panels (no im2col matrix) and its weights once per call.
 * Panel layouts are {@link MicroKernel}'s: an A panel holds {@link #rows()} consecutive elements per depth step, a B
 * panel {@link #columns()}. Every element's sum runs over depth in order within a slice, and a caller that adds the
 * slices into C in order gets results that do not depend on how it cuts rows and columns.
 *
 * <p>Thread safety: immutable; the arrays passed in belong to the caller.
 *
 * @param <A> the packed array type: {@code float[]} (FP32, FP16 and BF16 inputs) or {@code int[]} (INT8)
 */
public final class PanelKernel<A> {
    /** Interleaving within one packed type, which {@link PackedArrays} does not need. */
    private interface Interleaver<A> {
        void interleave(A rows, int rowsOffset, int rowStride, int lines, int depth, A target, int targetOffset, int width);
    }

    /**
     * Depth steps interleaved at a time: their part of the panel (16 KiB at most on AVX2) stays in L1 while each row
     * is copied into it. Interleaving a whole slice row by row wrote every store to another cache line (a panel row is
     * 64 bytes) and evicted them before the next row came; depth outermost read 16 rows 4 KiB apart, which share L1
     * sets. Either took as long as the kernel on a 1×1 convolution of 49 pixels.
     */
    private static final int DEPTH_CHUNK = 256;

    private static final Interleaver<float[]> FLOAT_INTERLEAVER = (rows, rowsOffset, rowStride, lines, depth, target, targetOffset, width) -> {
        for (int p0 = 0; p0 < depth; p0 += DEPTH_CHUNK) {
            int chunk = Math.min(DEPTH_CHUNK, depth - p0);
            int j = 0;
            // Four rows at a time: each depth step then writes four adjacent lanes, a whole panel row for mr = 4.
            for (; j + 4 <= lines; j += 4) {
                int t = targetOffset + p0 * width + j;
                int s0 = rowsOffset + j * rowStride + p0;
                int s1 = s0 + rowStride;
                int s2 = s1 + rowStride;
                int s3 = s2 + rowStride;
                for (int p = 0; p < chunk; p++) {
                    int o = t + p * width;
                    target[o] = rows[s0 + p];
                    target[o + 1] = rows[s1 + p];
                    target[o + 2] = rows[s2 + p];
                    target[o + 3] = rows[s3 + p];
                }
            }
            for (; j < width; j++) {
                int t = targetOffset + p0 * width + j;
                if (j < lines) {
                    int source = rowsOffset + j * rowStride + p0;
                    for (int p = 0; p < chunk; p++) {
                        target[t + p * width] = rows[source + p];
                    }
                } else {
                    for (int p = 0; p < chunk; p++) {
                        target[t + p * width] = 0f;
                    }
                }
            }
        }
    };
    private static final Interleaver<int[]> INT_INTERLEAVER = (rows, rowsOffset, rowStride, lines, depth, target, targetOffset, width) -> {
        for (int p0 = 0; p0 < depth; p0 += DEPTH_CHUNK) {
            int chunk = Math.min(DEPTH_CHUNK, depth - p0);
            int j = 0;
            // Four rows at a time: each depth step then writes four adjacent lanes, a whole panel row for mr = 4.
            for (; j + 4 <= lines; j += 4) {
                int t = targetOffset + p0 * width + j;
                int s0 = rowsOffset + j * rowStride + p0;
                int s1 = s0 + rowStride;
                int s2 = s1 + rowStride;
                int s3 = s2 + rowStride;
                for (int p = 0; p < chunk; p++) {
                    int o = t + p * width;
                    target[o] = rows[s0 + p];
                    target[o + 1] = rows[s1 + p];
                    target[o + 2] = rows[s2 + p];
                    target[o + 3] = rows[s3 + p];
                }
            }
            for (; j < width; j++) {
                int t = targetOffset + p0 * width + j;
                if (j < lines) {
                    int source = rowsOffset + j * rowStride + p0;
                    for (int p = 0; p < chunk; p++) {
                        target[t + p * width] = rows[source + p];
                    }
                } else {
                    for (int p = 0; p < chunk; p++) {
                        target[t + p * width] = 0;
                    }
                }
            }
        }
    };
    /**
     * FP32 runs at least this long are copied in bulk: a vector loop from a segment took as long as interleaving the
     * staged rows into panels, while {@link MemorySegment#copy}'s fixed cost dominates only shorter runs.
     */
    private static final int BULK_FLOATS = 64;

    private final MicroKernel<A> kernel;
    private final PackedArrays<A> arrays;
    private final BlockSizes blocks;
    private final ElementReader<A> reader;
    private final boolean float32;
    private final Interleaver<A> interleaver;
    private final TileWriter<A> overwriting;
    private final TileWriter<A> accumulating;

    private PanelKernel(MicroKernel<A> kernel, PackedArrays<A> arrays, BlockSizes blocks, ElementReader<A> reader,
                        Interleaver<A> interleaver, TileWriter<A> overwriting, TileWriter<A> accumulating) {
        this.kernel = kernel;
        this.arrays = arrays;
        this.blocks = blocks;
        this.reader = reader;
        this.float32 = reader == ElementReader.FP32;
        this.interleaver = interleaver;
        this.overwriting = overwriting;
        this.accumulating = accumulating;
    }

    static PanelKernel<float[]> floats(BlockedGemm<float[]> gemm, DType input) {
        return new PanelKernel<>(gemm.kernel(), PackedArrays.FLOAT, gemm.blocks(), ElementReader.toFloat(input),
                FLOAT_INTERLEAVER, new FloatTileWriter(1f, 0f), new FloatTileWriter(1f, 1f));
    }

    static PanelKernel<int[]> ints(BlockedGemm<int[]> gemm) {
        return new PanelKernel<>(gemm.kernel(), PackedArrays.INT, gemm.blocks(), ElementReader.INT8, INT_INTERLEAVER,
                new IntTileWriter(1, 0), new IntTileWriter(1, 1));
    }

    /** Rows of an A panel and of a tile (mr). */
    public int rows() {
        return kernel.rows();
    }

    /** Columns of a B panel and of a tile (nr). */
    public int columns() {
        return kernel.columns();
    }

    /** The depth of a slice (kc): the reduction is cut into slices this deep, summed into C one after another. */
    public int sliceDepth() {
        return blocks.kc();
    }

    /** Rows of A packed at a time (mc), a multiple of {@link #rows()}: with a slice they fill about half of L2. */
    public int rowBlock() {
        return blocks.mc();
    }

    public A allocate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " is negative");
        }
        return arrays.allocate(length);
    }

    public int length(A array) {
        return arrays.length(Objects.requireNonNull(array, "array"));
    }

    /** Zeroes elements [from, to) of {@code array}. */
    public void clear(A array, int from, int to) {
        arrays.clear(array, from, to);
    }

    /**
     * Widens {@code count} elements of the input dtype, {@code sourceStride} apart from element {@code sourceIndex},
     * into consecutive elements of {@code target} from {@code targetIndex}; contiguous runs a vector at a time.
     */
    public void widen(MemorySegment source, long sourceIndex, long sourceStride, int count, A target, int targetIndex) {
        if (float32 && sourceStride == 1 && count >= BULK_FLOATS) {
            MemorySegment.copy(source, ValueLayout.JAVA_FLOAT_UNALIGNED, sourceIndex * Float.BYTES, (float[]) target, targetIndex, count);
        } else {
            reader.copy(source, sourceIndex, sourceStride, count, target, targetIndex, count, 0, 1);
        }
    }

    /**
     * Packs {@code lines} rows of {@code depth} elements ({@code rows[rowsOffset + j·rowStride + p]}) into one panel of
     * {@code width} lanes per depth step from {@code target[targetOffset]}; lanes from {@code lines} on are zeros.
     */
    public void interleave(A rows, int rowsOffset, int rowStride, int lines, int depth, A target, int targetOffset, int width) {
        if (lines > width) {
            throw new IllegalArgumentException("lines: " + lines + " exceed the panel width " + width);
        }
        interleaver.interleave(rows, rowsOffset, rowStride, lines, depth, target, targetOffset, width);
    }

    /** A group of tiles side by side, as {@link MicroKernel#multiplyPanels}. */
    public void multiplyPanels(A packedA, int aOffset, A packedB, int bOffset, int depth, int rows, int firstPanel, int endPanel,
                               A tile) {
        kernel.multiplyPanels(packedA, aOffset, packedB, bOffset, depth, rows, firstPanel, endPanel, tile);
    }

    /**
     * Stores {@code rows × columns} tile elements into C (FP32 or INT32 memory, rows {@code ld} apart, from element
     * {@code index}): {@code C = tile + C} when {@code accumulate}, else {@code C = tile}.
     */
    public void write(A tile, int tileStride, int rows, int columns, MemorySegment c, long index, long ld, boolean accumulate) {
        (accumulate ? accumulating : overwriting).write(tile, tileStride, rows, columns, c, index, ld, true);
    }
}
