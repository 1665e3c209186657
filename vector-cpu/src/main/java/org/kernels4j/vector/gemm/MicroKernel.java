package org.kernels4j.vector.gemm;

/**
 * The register-blocked heart of GEMM (BLIS's micro-kernel): the product of one packed A panel and one packed
 * B panel, a {@code rows() × columns()} tile, held in registers across the whole depth and stored once into a
 * tile buffer (a plain array: the framework moves tiles into C, where alpha, beta and the output type apply).
 *
 * <p>Packed layouts (FP32, whatever the input dtype): the A panel holds,
 * for each depth step p, {@code rows()} consecutive elements {@code a[aOffset + p·rows() + r]}; the B panel
 * holds {@code columns()} consecutive elements {@code b[bOffset + p·columns() + c]}. Panels are zero-padded by
 * the framework, so a kernel always computes a full tile; the framework writes back only the part of the tile
 * that lies inside C. The kernel must not depend on where its tile lies: every element's sum runs over depth
 * in order, which is what makes results independent of the thread count.
 *
 * <p>Implementations keep every accumulator in its own local variable: an array of vectors, or a shape with
 * more accumulators than the machine has vector registers, spills them and loses most of the speed.
 */
interface MicroKernel {
    /** Tile rows (mr). */
    int rows();

    /** Tile columns (nr). */
    int columns();

    /** {@code tile[tileOffset + r·tileStride + c] = Σ_{p < depth} a(p, r)·b(p, c)}; overwrites the tile. */
    void multiply(float[] packedA, int aOffset, float[] packedB, int bOffset, int depth, float[] tile, int tileOffset, int tileStride);

    /**
     * The tiles of B panels [{@code firstPanel}, {@code endPanel}) (each {@code columns()·depth} elements, from
     * {@code bOffset}) times the A panels of {@code rows} rows (from {@code aOffset}), side by side in {@code tile}:
     * row r of the group at {@code tile[r·tileStride]}, {@code tileStride = (endPanel − firstPanel)·columns()}. A group
     * of tiles is written back at once, so that C's rows are touched once per group rather than once per panel.
     */
    default void multiplyPanels(float[] packedA, int aOffset, float[] packedB, int bOffset, int depth, int rows, int firstPanel, int endPanel,
                                float[] tile) {
        int mr = rows();
        int nr = columns();
        int tileStride = (endPanel - firstPanel) * nr;
        for (int panel = firstPanel; panel < endPanel; panel++) {
            int tileColumn = (panel - firstPanel) * nr;
            for (int r = 0; r < rows; r += mr) {
                multiply(packedA, aOffset + r * depth, packedB, bOffset + panel * nr * depth, depth, tile,
                        r * tileStride + tileColumn, tileStride);
            }
        }
    }
}
