package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * How the CUDA backend runs one GEMM (see native/cuda/gemm.cu): which kernel, on what grid, and which
 * operands it first repacks. FP32 runs the SIMT kernel as stored. FP16, BF16 and INT8 run on tensor cores,
 * which read both operands k-contiguous (A as m×k, B as n×k) with 16-byte aligned rows; an operand stored
 * the other way is transposed into scratch memory, one with a misaligned leading dimension is copied to an
 * aligned one. alpha = 0 or k = 0 runs the SIMT kernel with k = 0, which reads neither A nor B and leaves
 * beta·C (m = 0 or n = 0 launches nothing).
 *
 * @param kernel     the GEMM kernel's symbol
 * @param tensorCore true for the tensor-core kernel (its arguments differ: no transposes)
 * @param depth      the k the kernel is given (0 when only beta·C is computed)
 * @param a          how A reaches the kernel
 * @param b          how B reaches the kernel
 * @param launch     the GEMM kernel's grid
 */
record CudaGemmPlan(String kernel, boolean tensorCore, long depth, Operand a, Operand b, CudaLaunch launch) {
    static final int SIMT_TILE = 128;
    static final int SIMT_THREADS = 256;
    static final int TC_TILE = 128;
    static final int TC_THREADS = 256;
    /** TC_SHARED_BYTES of gemm.cu: 3 stages × 2 operands × 128 rows × 80 bytes. */
    static final int TC_SHARED_BYTES = 3 * 2 * 128 * 80;
    static final int ROW_ALIGNMENT_BYTES = 16;
    static final int TRANSPOSE_TILE = 32;
    static final int TRANSPOSE_ROWS_PER_PASS = 8;

    enum Repack {
        /** Used as stored. */
        NONE,
        /** Stored with k as the slow index: transposed into rows of k. */
        TRANSPOSE,
        /** Rows of k whose leading dimension breaks 16-byte alignment: copied to aligned rows. */
        REALIGN
    }

    /**
     * One operand as the GEMM kernel reads it.
     *
     * @param repack     what happens before the kernel
     * @param outer      rows of the packed matrix (m for A, n for B)
     * @param ld         the leading dimension the kernel gets (the packed one after a repack)
     * @param transpose  the transpose kernel's launch when {@code repack} is TRANSPOSE, else null
     */
    record Operand(Repack repack, long outer, long ld, CudaLaunch transpose) {
        Operand {
            Objects.requireNonNull(repack, "repack");
            if ((repack == Repack.TRANSPOSE) != (transpose != null)) {
                throw new IllegalArgumentException("transpose: " + transpose + " must be given exactly for TRANSPOSE, not " + repack);
            }
        }

        /** Bytes of scratch memory the repacked operand needs (0 without a repack). */
        long scratchBytes(DType dtype) {
            return repack == Repack.NONE ? 0 : Math.multiplyExact(Math.multiplyExact(outer, ld), dtype.byteSize());
        }
    }

    CudaGemmPlan {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(launch, "launch");
    }

    /** Whether the grids this spec needs fit a CUDA device (n, and m or k for repacks, are the limits). */
    static Availability feasibility(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        long rowTiles = CudaLaunch.tiles(spec.m(), SIMT_TILE);
        long colTiles = CudaLaunch.tiles(spec.n(), SIMT_TILE);
        if (!CudaLaunch.fits(rowTiles, colTiles, 1)) {
            return Availability.no("n = " + spec.n() + " needs " + colTiles + " column tiles of " + SIMT_TILE
                    + "; a CUDA grid has at most " + CudaLaunch.MAX_GRID_YZ);
        }
        long transposeTiles = CudaLaunch.tiles(spec.m(), TRANSPOSE_TILE) * CudaLaunch.tiles(spec.k(), TRANSPOSE_TILE)
                + CudaLaunch.tiles(spec.n(), TRANSPOSE_TILE) * CudaLaunch.tiles(spec.k(), TRANSPOSE_TILE);
        if (usesTensorCores(spec) && transposeTiles > CudaLaunch.MAX_GRID_X) {
            return Availability.no("m, n, k = " + spec.m() + ", " + spec.n() + ", " + spec.k()
                    + " are too large to repack in one grid");
        }
        return Availability.yes();
    }

    /** The plan for a spec with m, n > 0 that {@link #feasibility} accepts. */
    static CudaGemmPlan of(GemmSpec spec) {
        Availability feasible = feasibility(spec);
        if (!feasible.available()) {
            throw new IllegalArgumentException("spec: " + feasible.reason());
        }
        if (spec.m() == 0 || spec.n() == 0) {
            throw new IllegalArgumentException("spec: m = " + spec.m() + ", n = " + spec.n() + " computes nothing; no plan");
        }
        boolean product = spec.alpha() != 0f && spec.k() > 0;
        CudaLaunch launch = new CudaLaunch((int) CudaLaunch.tiles(spec.m(), SIMT_TILE),
                (int) CudaLaunch.tiles(spec.n(), SIMT_TILE), 1, SIMT_THREADS, 1, 0);
        if (!product || !usesTensorCores(spec)) {
            Operand a = new Operand(Repack.NONE, spec.aRows(), spec.lda(), null);
            Operand b = new Operand(Repack.NONE, spec.bRows(), spec.ldb(), null);
            return new CudaGemmPlan(CudaKernelNames.gemmSimt(spec.inputType(), spec.outputType()), false,
                    product ? spec.k() : 0, a, b, launch);
        }
        int elementBytes = (int) spec.inputType().byteSize();
        Operand a = kContiguous(!spec.transA(), spec.m(), spec.k(), spec.lda(), elementBytes);
        Operand b = kContiguous(spec.transB(), spec.n(), spec.k(), spec.ldb(), elementBytes);
        CudaLaunch tensorCoreLaunch = new CudaLaunch(launch.gridX(), launch.gridY(), 1, TC_THREADS, 1, TC_SHARED_BYTES);
        return new CudaGemmPlan(CudaKernelNames.gemmTensorCores(spec.inputType(), spec.outputType()), true, spec.k(),
                a, b, tensorCoreLaunch);
    }

    static boolean usesTensorCores(GemmSpec spec) {
        return spec.inputType() != DType.FP32;
    }

    /** The launch of the transpose kernel that turns a rows × cols matrix into cols × rows. */
    static CudaLaunch transposeLaunch(long rows, long cols) {
        long tiles = CudaLaunch.tiles(rows, TRANSPOSE_TILE) * CudaLaunch.tiles(cols, TRANSPOSE_TILE);
        return new CudaLaunch(Math.toIntExact(tiles), 1, 1, TRANSPOSE_TILE, TRANSPOSE_ROWS_PER_PASS, 0);
    }

    /** The smallest leading dimension ≥ k whose rows start 16-byte aligned. */
    static long alignedLeadingDimension(long k, int elementBytes) {
        long perRow = ROW_ALIGNMENT_BYTES / elementBytes;
        return Math.max(perRow, (k + perRow - 1) / perRow * perRow);
    }

    private static Operand kContiguous(boolean storedKContiguous, long outer, long k, long ld, int elementBytes) {
        long packedLd = alignedLeadingDimension(k, elementBytes);
        if (!storedKContiguous) {
            return new Operand(Repack.TRANSPOSE, outer, packedLd, transposeLaunch(k, outer));
        }
        if (ld * elementBytes % ROW_ALIGNMENT_BYTES != 0) {
            return new Operand(Repack.REALIGN, outer, packedLd, null);
        }
        return new Operand(Repack.NONE, outer, ld, null);
    }
}
