package org.kernels4j.gpu.opencl;

import java.util.List;
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

    /**
     * The tilings the first-use search measures on a device ({@link OpenClGemmTuner}), {@link #forDevice} first: on
     * GPUs 16×16 work-items with 4×4, 8×8 (128-wide tiles) and 2×2 accumulators, and 8×8 work-items with 8×8; on CPU
     * devices 8×8 work-items with 8×8 accumulators and k steps of 16 and 32, and 4×8 work-items on narrower tiles.
     */
    static List<OpenClGemmTiling> candidates(OpenClDeviceInfo device) {
        OpenClGemmTiling preferred = forDevice(device);
        return device.gpu()
                ? List.of(preferred, new OpenClGemmTiling(128, 128, 16, 16, 16), new OpenClGemmTiling(32, 32, 16, 16, 16),
                        new OpenClGemmTiling(64, 64, 16, 8, 8))
                : List.of(preferred, new OpenClGemmTiling(64, 64, 32, 8, 8), new OpenClGemmTiling(32, 64, 16, 4, 8),
                        new OpenClGemmTiling(32, 32, 16, 8, 8));
    }

    /**
     * Reads {@code tileM,tileN,tileK,groupM,groupN}, e.g. {@code 64,64,16,8,8} (the form of {@link #format()}).
     *
     * @throws IllegalArgumentException naming {@code what} and the text when it is not five integers of a valid tiling
     */
    static OpenClGemmTiling parse(String what, String text) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(text, "text");
        String[] parts = text.strip().split(",");
        if (parts.length != 5) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not tileM,tileN,tileK,groupM,groupN (e.g. 64,64,16,8,8)");
        }
        int[] values = new int[5];
        try {
            for (int i = 0; i < 5; i++) {
                values[i] = Integer.parseInt(parts[i].strip());
            }
            return new OpenClGemmTiling(values[0], values[1], values[2], values[3], values[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a valid tiling: " + e.getMessage(), e);
        }
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

    /** {@code tileM,tileN,tileK,groupM,groupN}, the form {@link #parse} reads. */
    String format() {
        return tileM + "," + tileN + "," + tileK + "," + groupM + "," + groupN;
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
