package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/**
 * How the CUDA backend runs one convolution (see native/cuda/conv2d.cu): the direct kernel for depthwise
 * convolutions (groups = C = K), otherwise the implicit GEMM, on tensor cores where {@link #algorithm} allows
 * it, with the geometry the kernels take as their ConvShape argument. The tensor-core kernel reads NHWC only, so an
 * NCHW convolution it runs is wrapped in {@link LayoutTransforms}.
 *
 * @param kernel     the convolution kernel's symbol
 * @param geometry   n, c, h, w, k, r, s, p, q, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups
 * @param launch     the convolution kernel's grid
 * @param transforms the NCHW ↔ NHWC transposes around the kernel, or null when it reads the tensors as they are
 */
record CudaConvPlan(String kernel, int[] geometry, CudaLaunch launch, LayoutTransforms transforms) {
    static final int DEPTHWISE_THREADS = 256;
    /** Enough blocks to fill any current GPU several times over; the depthwise kernel strides over the rest. */
    static final long DEPTHWISE_MAX_BLOCKS = 1L << 20;

    /** The kernel families of conv2d.cu. */
    enum Algorithm {
        /** One thread per output element (groups = C = K). */
        DEPTHWISE,
        /** The implicit GEMM on the SIMT core: every layout, dtype and grouping. */
        IMPLICIT_GEMM_SIMT,
        /**
         * The NHWC implicit GEMM with mma.sync: FP16, BF16 or INT8 inputs whose channels per group fill whole
         * 16-byte chunks, so that each chunk of an image row is one asynchronous copy; NCHW through transposes.
         */
        IMPLICIT_GEMM_TENSOR_CORES
    }

    /**
     * {@code batch} dense rows × cols matrices, one after another, each transposed into cols × rows.
     *
     * @param kernel the batched transpose kernel for the element size
     * @param launch its grid: 32 × 32 tiles of one matrix along x, the batch along y
     */
    record Transpose(String kernel, long rows, long cols, CudaLaunch launch) {
        Transpose {
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(launch, "launch");
        }

        static Transpose of(long batch, long rows, long cols, DType dtype) {
            CudaLaunch tiles = CudaGemmPlan.transposeLaunch(rows, cols);
            return new Transpose(CudaKernelNames.transposeBatched((int) dtype.byteSize()), rows, cols,
                    new CudaLaunch(tiles.gridX(), (int) batch, 1, tiles.blockX(), tiles.blockY(), 0));
        }

        /** Whether the grid for these sizes fits a CUDA device. */
        static boolean fits(long batch, long rows, long cols) {
            long tiles = CudaLaunch.tiles(rows, CudaGemmPlan.TRANSPOSE_TILE) * CudaLaunch.tiles(cols, CudaGemmPlan.TRANSPOSE_TILE);
            return CudaLaunch.fits(tiles, batch, 1);
        }
    }

    /**
     * The transposes of an NCHW convolution on the NHWC kernel: x [N][C][H·W] into [N][H·W][C], w [K][C/g][R·S]
     * into [K][R·S][C/g] before it, and its y [N][P·Q][K] into [N][K][P·Q] after it.
     */
    record LayoutTransforms(Transpose input, Transpose weights, Transpose output) {
        LayoutTransforms {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(output, "output");
        }

        static LayoutTransforms of(Conv2dSpec spec) {
            return new LayoutTransforms(
                    Transpose.of(spec.n(), spec.c(), spec.h() * spec.w(), spec.inputType()),
                    Transpose.of(spec.k(), spec.channelsPerGroup(), spec.r() * spec.s(), spec.inputType()),
                    Transpose.of(spec.n(), spec.p() * spec.q(), spec.k(), spec.outputType()));
        }

        static boolean fit(Conv2dSpec spec) {
            return Transpose.fits(spec.n(), spec.c(), spec.h() * spec.w())
                    && Transpose.fits(spec.k(), spec.channelsPerGroup(), spec.r() * spec.s())
                    && Transpose.fits(spec.n(), spec.p() * spec.q(), spec.k());
        }
    }

    CudaConvPlan {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(launch, "launch");
        if (geometry.length != 16) {
            throw new IllegalArgumentException("geometry: " + geometry.length + " values, the kernels take 16");
        }
        geometry = geometry.clone();
    }

    @Override
    public int[] geometry() {
        return geometry.clone();
    }

    /** Whether every size fits the kernels' ints and the grid fits a CUDA device. */
    static Availability feasibility(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        long[] sizes = {spec.n(), spec.c(), spec.h(), spec.w(), spec.k(), spec.r(), spec.s(), spec.p(), spec.q(),
                spec.groups(), spec.reductionLength()};
        for (long size : sizes) {
            if (size > Integer.MAX_VALUE) {
                return Availability.no("a size of " + spec + " exceeds 2^31 - 1, the CUDA kernels' int range");
            }
        }
        if (spec.isDepthwise()) {
            return Availability.yes();
        }
        long rowTiles = CudaLaunch.tiles(spec.n() * spec.p() * spec.q(), CudaGemmPlan.SIMT_TILE);
        long colTiles = CudaLaunch.tiles(spec.filtersPerGroup(), CudaGemmPlan.SIMT_TILE);
        if (!CudaLaunch.fits(rowTiles, colTiles, spec.groups())) {
            return Availability.no("the implicit GEMM grid " + rowTiles + " × " + colTiles + " × " + spec.groups()
                    + " exceeds CUDA's limits (y, z at most " + CudaLaunch.MAX_GRID_YZ + ")");
        }
        return Availability.yes();
    }

    /** Which kernel family runs {@code spec}. */
    static Algorithm algorithm(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isDepthwise()) {
            return Algorithm.DEPTHWISE;
        }
        boolean tensorCoreInput = spec.inputType() != DType.FP32;
        boolean wholeChunks = spec.channelsPerGroup() * spec.inputType().byteSize() % CudaGemmPlan.ROW_ALIGNMENT_BYTES == 0;
        boolean readable = spec.layout() == Layout.NHWC || LayoutTransforms.fit(spec);
        return tensorCoreInput && wholeChunks && readable ? Algorithm.IMPLICIT_GEMM_TENSOR_CORES : Algorithm.IMPLICIT_GEMM_SIMT;
    }

    /** The plan for a spec that {@link #feasibility} accepts. */
    static CudaConvPlan of(Conv2dSpec spec) {
        Availability feasible = feasibility(spec);
        if (!feasible.available()) {
            throw new IllegalArgumentException("spec: " + feasible.reason());
        }
        int[] geometry = {(int) spec.n(), (int) spec.c(), (int) spec.h(), (int) spec.w(), (int) spec.k(), (int) spec.r(),
                (int) spec.s(), (int) spec.p(), (int) spec.q(), spec.strideH(), spec.strideW(), spec.padTop(),
                spec.padLeft(), spec.dilationH(), spec.dilationW(), (int) spec.groups()};
        return switch (algorithm(spec)) {
            case DEPTHWISE -> {
                long outputs = spec.n() * spec.k() * spec.p() * spec.q();
                long blocks = Math.min(DEPTHWISE_MAX_BLOCKS, CudaLaunch.tiles(outputs, DEPTHWISE_THREADS));
                yield new CudaConvPlan(CudaKernelNames.convDepthwise(spec.layout(), spec.inputType(), spec.outputType()),
                        geometry, new CudaLaunch((int) blocks, 1, 1, DEPTHWISE_THREADS, 1, 0), null);
            }
            case IMPLICIT_GEMM_TENSOR_CORES -> new CudaConvPlan(
                    CudaKernelNames.convTensorCores(spec.inputType(), spec.outputType()), geometry,
                    implicitGemmLaunch(spec, CudaGemmPlan.TC_TILE, CudaGemmPlan.TC_THREADS, CudaGemmPlan.TC_SHARED_BYTES),
                    spec.layout() == Layout.NCHW ? LayoutTransforms.of(spec) : null);
            case IMPLICIT_GEMM_SIMT -> new CudaConvPlan(
                    CudaKernelNames.convImplicitGemm(spec.layout(), spec.inputType(), spec.outputType()), geometry,
                    implicitGemmLaunch(spec, CudaGemmPlan.SIMT_TILE, CudaGemmPlan.SIMT_THREADS, 0), null);
        };
    }

    /** Output pixels × filters of a group in tiles, one grid layer per group. */
    private static CudaLaunch implicitGemmLaunch(Conv2dSpec spec, int tile, int threads, int sharedBytes) {
        return new CudaLaunch((int) CudaLaunch.tiles(spec.n() * spec.p() * spec.q(), tile),
                (int) CudaLaunch.tiles(spec.filtersPerGroup(), tile), (int) spec.groups(), threads, 1, sharedBytes);
    }
}
