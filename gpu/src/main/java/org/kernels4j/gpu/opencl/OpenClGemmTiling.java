package org.kernels4j.gpu.opencl;

import java.util.Objects;
import org.kernels4j.DType;

/**
 * The blocking of gemm.cl on one device: each work-group of {@code groupM × groupN} work-items computes a
 * {@code tileM × tileN} block of C, stepping through k {@code tileK} at a time through local memory, and
 * each work-item keeps {@code tileM/groupM × tileN/groupN} accumulators in registers.
 */
record OpenClGemmTiling(int tileM, int tileN, int tileK, int groupM, int groupN) {
    /**
     * GPUs: 16×16 work-items with 4×4 accumulators each, a common SGEMM starting point (not yet measured
     * here: this build had no OpenCL GPU to tune on). CPU devices (PoCL): 8×8 work-items with 8×8
     * accumulators each, measured fastest of 64/32-wide tiles with k steps of 8, 16 and 32 on PoCL, where
     * fewer work-items per group mean less state kept across barriers.
     */
    static OpenClGemmTiling forDevice(OpenClDeviceInfo device) {
        Objects.requireNonNull(device, "device");
        return device.gpu() ? new OpenClGemmTiling(64, 64, 16, 16, 16) : new OpenClGemmTiling(64, 64, 16, 8, 8);
    }

    OpenClGemmTiling {
        if (tileM < 1 || tileN < 1 || tileK < 1 || groupM < 1 || groupN < 1 || tileM % groupM != 0 || tileN % groupN != 0) {
            throw new IllegalArgumentException("tileM, tileN, tileK, groupM, groupN: " + tileM + ", " + tileN + ", " + tileK
                    + ", " + groupM + ", " + groupN + " (all positive, tiles multiples of the group shape)");
        }
    }

    /** The -D options gemm.cl is built with for one dtype pair. */
    String buildOptions(DType input, DType output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        return OpenClSources.dtypeOptions(input, output) + " -D K4J_TILE_M=" + tileM + " -D K4J_TILE_N=" + tileN
                + " -D K4J_TILE_K=" + tileK + " -D K4J_GROUP_M=" + groupM + " -D K4J_GROUP_N=" + groupN;
    }

    /** Global work size, {columns, rows}, covering an m × n result. */
    long[] globalSize(long m, long n) {
        return new long[] {ceilDiv(n, tileN) * groupN, ceilDiv(m, tileM) * groupM};
    }

    /** Local work size, {columns, rows}. */
    long[] localSize() {
        return new long[] {groupN, groupM};
    }

    private static long ceilDiv(long extent, int tile) {
        return (extent + tile - 1) / tile;
    }
}
