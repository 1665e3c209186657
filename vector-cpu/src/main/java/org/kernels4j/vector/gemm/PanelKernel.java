package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.kernels4j.DType;

/**
 * {@link VectorGemm}'s micro-kernel, block sizes and tile epilogue for callers that pack their own operands into its
 * panels: a convolution packs its input windows straight into panels (no im2col matrix) and its weights once per call.
 * Panel layouts are {@link MicroKernel}'s: an A panel holds {@link #rows()} consecutive elements per depth step, a B
 * panel {@link #columns()}. Every input is widened to FP32; INT8 sums are exact within a slice (see
 * {@link VectorGemm#int8Panels}) and written into INT32 memory. Every element's sum runs over depth in order within a
 * slice, and a caller that adds the slices into C in order gets results that do not depend on how it cuts rows and
 * columns.
 *
 * <p>Thread safety: immutable; the arrays passed in belong to the caller.
 */
public final class PanelKernel {
    /**
     * Depth steps interleaved at a time: their part of the panel (16 KiB at most on AVX2) stays in L1 while each row
     * is copied into it. Interleaving a whole slice row by row wrote every store to another cache line (a panel row is
     * 64 bytes) and evicted them before the next row came; depth outermost read 16 rows 4 KiB apart, which share L1
     * sets. Either took as long as the kernel on a 1×1 convolution of 49 pixels.
     */
    private static final int DEPTH_CHUNK = 256;

    /**
     * FP32 runs at least this long are copied in bulk: a vector loop from a segment took as long as interleaving the
     * staged rows into panels, while {@link MemorySegment#copy}'s fixed cost dominates only shorter runs.
     */
    private static final int BULK_FLOATS = 64;

    private final MicroKernel kernel;
    private final BlockSizes blocks;
    private final ElementReader reader;
    private final boolean float32;
    private final TileWriter overwriting;
    private final TileWriter accumulating;

    private PanelKernel(BlockedGemm gemm, ElementReader reader, TileWriter overwriting,
                        TileWriter accumulating) {
        this.kernel = gemm.kernel();
        this.blocks = gemm.blocks();
        this.reader = reader;
        this.float32 = reader == ElementReader.FP32;
        this.overwriting = overwriting;
        this.accumulating = accumulating;
    }

    /** Panels of FP32, FP16 or BF16 input, tiles written into FP32 memory. */
    static PanelKernel floats(BlockedGemm gemm, DType input) {
        return new PanelKernel(gemm, ElementReader.toFloat(input), new FloatTileWriter(1f, 0f), new FloatTileWriter(1f, 1f));
    }

    /** Panels of INT8 input, tiles written into INT32 memory; {@code gemm}'s slices must keep the sums exact. */
    static PanelKernel int8(BlockedGemm gemm) {
        return new PanelKernel(gemm, ElementReader.INT8, new IntTileWriter(1, 0), new IntTileWriter(1, 1));
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

    /** Rows of A packed at a time (mc), a multiple of {@link #rows()}: with a slice they fill L2. */
    public int rowBlock() {
        return blocks.mc();
    }

    /**
     * Widens {@code count} elements of the input dtype, {@code sourceStride} apart from element {@code sourceIndex},
     * into consecutive elements of {@code target} from {@code targetIndex}; contiguous runs a vector at a time.
     */
    public void widen(MemorySegment source, long sourceIndex, long sourceStride, int count, float[] target, int targetIndex) {
        if (float32 && sourceStride == 1 && count >= BULK_FLOATS) {
            MemorySegment.copy(source, ValueLayout.JAVA_FLOAT_UNALIGNED, sourceIndex * Float.BYTES, target, targetIndex, count);
        } else {
            reader.copy(source, sourceIndex, sourceStride, count, target, targetIndex, count, 0, 1);
        }
    }

    /**
     * Packs {@code lines} rows of {@code depth} elements ({@code rows[rowsOffset + j·rowStride + p]}) into one panel of
     * {@code width} lanes per depth step from {@code target[targetOffset]}; lanes from {@code lines} on are zeros.
     */
    public void interleave(float[] rows, int rowsOffset, int rowStride, int lines, int depth, float[] target, int targetOffset,
                           int width) {
        if (lines > width) {
            throw new IllegalArgumentException("lines: " + lines + " exceed the panel width " + width);
        }
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
    }

    /** A group of tiles side by side, as {@link MicroKernel#multiplyPanels}. */
    public void multiplyPanels(float[] packedA, int aOffset, float[] packedB, int bOffset, int depth, int rows, int firstPanel,
                               int endPanel, float[] tile) {
        kernel.multiplyPanels(packedA, aOffset, packedB, bOffset, depth, rows, firstPanel, endPanel, tile);
    }

    /**
     * Stores {@code rows × columns} tile elements into C (FP32 or INT32 memory, rows {@code ld} apart, from element
     * {@code index}): {@code C = tile + C} when {@code accumulate}, else {@code C = tile}.
     */
    public void write(float[] tile, int tileStride, int rows, int columns, MemorySegment c, long index, long ld, boolean accumulate) {
        (accumulate ? accumulating : overwriting).write(tile, tileStride, rows, columns, c, index, ld, true);
    }
}
