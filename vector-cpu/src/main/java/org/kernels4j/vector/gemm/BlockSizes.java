package org.kernels4j.vector.gemm;

import org.kernels4j.vector.CpuInfo;

/**
 * The BLIS cache blocking of one kernel: kc-deep slices of the reduction, mc-row blocks of A packed per
 * participant, nc-column blocks of B packed once and shared.
 *
 * <p>The automatic sizes follow what was measured on an AVX2 EPYC (512 KiB L2, 32 MiB L3): every kc slice costs
 * a read-modify-write pass over C, which outweighed keeping a kc × nr B micro-panel in L1 (the kernel streams it
 * from L2, in order, which the prefetcher follows), so kc is as deep as lets an A block of {@value #TARGET_MC_ROWS}
 * rows fill L2, and mc then fills it. A block of all of L2 rather than half: each B element the kernels load from L3
 * serves mc rows, and the VMs' L3 is shared with other tenants (kc = 1024 with mc = 128 against 64, calls interleaved
 * in one process: 3–14 % faster on 1024³ and 2048³ with 1 and 2 threads and on 512 × 4096 × 4096; 512³ within
 * noise). The kc × nc B block takes half of L3.
 *
 * @param kc depth of a slice
 * @param mc rows of an A block, a multiple of the kernel's rows
 * @param nc columns of a B block, a multiple of the kernel's columns
 */
record BlockSizes(int kc, int mc, int nc) {
    private static final int TARGET_MC_ROWS = 128;
    private static final int MIN_KC = 256;
    private static final int MAX_KC = 1024;
    private static final int MAX_MC = 1024;
    private static final int MAX_NC = 4096;
    /**
     * Deepest slice of the INT8 GEMM, which multiplies and accumulates in FP32: an INT8 product lies in [−16256, 16384],
     * so every partial sum of at most 1024 of them is an integer of magnitude at most 2^24, and FP32 holds every such
     * integer exactly. No FMA of a slice ever rounds, and its sum converted to int is the exact integer sum, which
     * adding the slices in INT32 then wraps modulo 2^32 as INT32 accumulation does.
     */
    static final int MAX_EXACT_INT8_KC = 1024;
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

    /** Sizes for {@code kernel}'s tile of FP32 elements on {@code cpu}; explicit values in {@code config} win. */
    static BlockSizes choose(MicroKernel kernel, CpuInfo cpu, GemmConfig config) {
        int mr = kernel.rows();
        int nr = kernel.columns();
        long halfL3 = cpu.l3Bytes() / 2;
        int kc = config.kc() > 0 ? config.kc()
                : roundDown(clamp(cpu.l2Bytes() / ((long) TARGET_MC_ROWS * Float.BYTES), MIN_KC, MAX_KC), 16);
        int mc = config.mc() > 0 ? roundUp(config.mc(), mr)
                : roundDown(clamp(cpu.l2Bytes() / ((long) kc * Float.BYTES), mr, MAX_MC), mr);
        int nc = config.nc() > 0 ? roundUp(config.nc(), nr)
                : roundDown(clamp(halfL3 / ((long) kc * Float.BYTES), nr, MAX_NC), nr);
        return new BlockSizes(kc, mc, nc);
    }

    /**
     * {@link #choose}, with kc at most {@link #MAX_EXACT_INT8_KC} whatever {@code config} asks, and mc
     * and nc derived from that kc.
     */
    static BlockSizes chooseForExactInt8(MicroKernel kernel, CpuInfo cpu, GemmConfig config) {
        GemmConfig shallow = config.kc() > MAX_EXACT_INT8_KC
                ? new GemmConfig(config.floatKernel(), MAX_EXACT_INT8_KC, config.mc(), config.nc()) : config;
        BlockSizes sizes = choose(kernel, cpu, shallow);
        return sizes.kc() <= MAX_EXACT_INT8_KC ? sizes : new BlockSizes(MAX_EXACT_INT8_KC, sizes.mc(), sizes.nc());
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
