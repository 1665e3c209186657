package org.kernels4j.gpu.cuda;

/**
 * The geometry of one kernel launch, within the limits every CUDA device of compute capability 8.0 and
 * above has: grid x up to 2^31 − 1 blocks, y and z up to 65535, at most 1024 threads per block.
 *
 * @param gridX       blocks along x
 * @param gridY       blocks along y
 * @param gridZ       blocks along z
 * @param blockX      threads along x
 * @param blockY      threads along y
 * @param sharedBytes dynamic shared memory per block
 */
record CudaLaunch(int gridX, int gridY, int gridZ, int blockX, int blockY, int sharedBytes) {
    static final long MAX_GRID_X = Integer.MAX_VALUE;
    static final long MAX_GRID_YZ = 65535;
    /** Dynamic shared memory a kernel gets without raising its limit (cuFuncSetAttribute). */
    static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    CudaLaunch {
        if (gridX < 1 || gridY < 1 || gridY > MAX_GRID_YZ || gridZ < 1 || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("gridX, gridY, gridZ: " + gridX + ", " + gridY + ", " + gridZ
                    + " (x in [1, 2^31 - 1], y and z in [1, 65535])");
        }
        if (blockX < 1 || blockY < 1 || (long) blockX * blockY > 1024) {
            throw new IllegalArgumentException("blockX, blockY: " + blockX + ", " + blockY + " (1 to 1024 threads)");
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException("sharedBytes: " + sharedBytes + " is negative");
        }
    }

    /** Whether a grid of this many blocks per dimension can be launched. */
    static boolean fits(long gridX, long gridY, long gridZ) {
        return gridX >= 1 && gridX <= MAX_GRID_X && gridY >= 1 && gridY <= MAX_GRID_YZ && gridZ >= 1 && gridZ <= MAX_GRID_YZ;
    }

    /** ⌈extent / tile⌉, at least 1 so that an empty extent still makes a valid (idle) grid. */
    static long tiles(long extent, int tile) {
        if (extent < 0 || tile < 1) {
            throw new IllegalArgumentException("extent, tile: " + extent + ", " + tile + " (extent >= 0, tile >= 1)");
        }
        return Math.max(1, (extent + tile - 1) / tile);
    }
}
