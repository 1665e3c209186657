package org.kernels4j.vector.gemm;

import org.kernels4j.vector.CpuInfo;

/**
 * The BLIS cache blocking of one kernel: kc-deep slices of the reduction, mc-row blocks of A packed per
 * participant, nc-column blocks of B packed once and shared.
 *
 * <p>The automatic sizes follow what was measured on an AVX2 EPYC (512 KiB L2, 32 MiB L3): every kc slice costs
 * a read-modify-write pass over C, which outweighed keeping a kc × nr B micro-panel in L1 (the kernel streams it
 * from L2, in order, which the prefetcher follows), so kc is as deep as lets an A block of {@value #TARGET_MC_ROWS}
 * rows fill half of L2; mc then fills that half; the kc × nc B block takes half of L3.
 *
 * @param kc depth of a slice
 * @param mc rows of an A block, a multiple of the kernel's rows
 * @param nc columns of a B block, a multiple of the kernel's columns
 */
record BlockSizes(int kc, int mc, int nc) {
    private static final int TARGET_MC_ROWS = 64;
    private static final int MIN_KC = 256;
    private static final int MAX_KC = 1024;
    private static final int MAX_MC = 1024;
    private static final int MAX_NC = 4096;
    /** Packed blocks are Java arrays indexed by int; this also keeps every offset inside them an int. */
    private static final long MAX_PACKED_ELEMENTS = 1 << 28;

    BlockSizes {
        if (kc < 1 || mc < 1 || nc < 1) {
            throw new IllegalArgumentException("block sizes: kc = " + kc + ", mc = " + mc + ", nc = " + nc + " must be positive");
        }
        if ((long) kc * Math.max(mc, nc) > MAX_PACKED_ELEMENTS) {
            throw new IllegalArgumentException("block sizes: kc = " + kc + ", mc = " + mc + ", nc = " + nc
                    + " need a packed block of more than " + MAX_PACKED_ELEMENTS + " elements");
        }
    }

    /** Sizes for {@code kernel}'s tile of {@code elementBytes}-byte elements on {@code cpu}; explicit values in {@code config} win. */
    static BlockSizes choose(MicroKernel<?> kernel, int elementBytes, CpuInfo cpu, GemmConfig config) {
        int mr = kernel.rows();
        int nr = kernel.columns();
        long halfL2 = cpu.l2Bytes() / 2;
        long halfL3 = cpu.l3Bytes() / 2;
        int kc = config.kc() > 0 ? config.kc()
                : roundDown(clamp(halfL2 / ((long) TARGET_MC_ROWS * elementBytes), MIN_KC, MAX_KC), 16);
        int mc = config.mc() > 0 ? roundUp(config.mc(), mr)
                : roundDown(clamp(halfL2 / ((long) kc * elementBytes), mr, MAX_MC), mr);
        int nc = config.nc() > 0 ? roundUp(config.nc(), nr)
                : roundDown(clamp(halfL3 / ((long) kc * elementBytes), nr, MAX_NC), nr);
        return new BlockSizes(kc, mc, nc);
    }

    private static int clamp(long value, int min, int max) {
        return (int) Math.max(min, Math.min(max, value));
    }

    private static int roundDown(int value, int multiple) {
        return value / multiple * multiple;
    }

    private static int roundUp(int value, int multiple) {
        return Math.ceilDiv(value, multiple) * multiple;
    }
}
