package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.Availability;
import org.kernels4j.ops.Conv2dSpec;

/**
 * How the CUDA backend runs one convolution (see native/cuda/conv2d.cu): the direct kernel for depthwise
 * convolutions (groups = C = K), the implicit GEMM otherwise, with the geometry the kernels take as their
 * ConvShape argument.
 *
 * @param kernel   the kernel's symbol
 * @param geometry n, c, h, w, k, r, s, p, q, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups
 * @param launch   the grid
 */
record CudaConvPlan(String kernel, int[] geometry, CudaLaunch launch) {
    static final int DEPTHWISE_THREADS = 256;
    /** Enough blocks to fill any current GPU several times over; the depthwise kernel strides over the rest. */
    static final long DEPTHWISE_MAX_BLOCKS = 1L << 20;

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

    /** The plan for a spec that {@link #feasibility} accepts. */
    static CudaConvPlan of(Conv2dSpec spec) {
        Availability feasible = feasibility(spec);
        if (!feasible.available()) {
            throw new IllegalArgumentException("spec: " + feasible.reason());
        }
        int[] geometry = {(int) spec.n(), (int) spec.c(), (int) spec.h(), (int) spec.w(), (int) spec.k(), (int) spec.r(),
                (int) spec.s(), (int) spec.p(), (int) spec.q(), spec.strideH(), spec.strideW(), spec.padTop(),
                spec.padLeft(), spec.dilationH(), spec.dilationW(), (int) spec.groups()};
        if (spec.isDepthwise()) {
            long outputs = spec.n() * spec.k() * spec.p() * spec.q();
            long blocks = Math.min(DEPTHWISE_MAX_BLOCKS, CudaLaunch.tiles(outputs, DEPTHWISE_THREADS));
            return new CudaConvPlan(CudaKernelNames.convDepthwise(spec.layout(), spec.inputType(), spec.outputType()),
                    geometry, new CudaLaunch((int) blocks, 1, 1, DEPTHWISE_THREADS, 1, 0));
        }
        CudaLaunch launch = new CudaLaunch((int) CudaLaunch.tiles(spec.n() * spec.p() * spec.q(), CudaGemmPlan.SIMT_TILE),
                (int) CudaLaunch.tiles(spec.filtersPerGroup(), CudaGemmPlan.SIMT_TILE), (int) spec.groups(),
                CudaGemmPlan.SIMT_THREADS, 1, 0);
        return new CudaConvPlan(CudaKernelNames.convImplicitGemm(spec.layout(), spec.inputType(), spec.outputType()),
                geometry, launch);
    }
}
