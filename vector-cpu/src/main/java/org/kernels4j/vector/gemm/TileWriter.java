package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;

/**
 * Folds a block of micro-kernel tiles into the destination matrix (BLIS's epilogue), row by row:
 * {@code C = alpha·tile + beta·C} for the first depth slice and {@code C = alpha·tile + C} for the later ones;
 * with beta = 0 the first slice never reads C. Rows are written with vectors and their last few columns element
 * by element with the same arithmetic, so results do not depend on where blocks end.
 */
interface TileWriter {
    /**
     * @param tile        the kernels' tiles, rows {@code tileColumns} elements apart
     * @param rows        rows to write
     * @param columns     columns to write
     * @param destination C's memory: FP32 elements, INT32 for {@link IntTileWriter}
     * @param index       element index in C of the block's first element
     * @param ld          C's row stride in elements
     * @param firstBlock  whether this is the first depth slice (beta applies) or a later one (accumulate)
     */
    void write(float[] tile, int tileColumns, int rows, int columns, MemorySegment destination, long index, long ld, boolean firstBlock);
}
