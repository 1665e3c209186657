package org.kernels4j.vector.gemm;

import java.util.Arrays;

/**
 * Copies a block of an operand into micro-kernel panels: panel t holds lines x in [t·width, (t+1)·width), stored
 * p-major ({@code width} consecutive elements per depth step), and lines beyond the block are zeros so the kernel
 * can always compute full tiles. Each line is read along the direction that is contiguous in memory.
 */
final class PanelPacker {
    /**
     * Panels filled together when lines are contiguous. Filling all of a wide block's panels one depth step at a
     * time wrote one cache line into each of hundreds of panels, 64 KiB apart, for every row of B: more pages than
     * the TLB holds. Packing a 1024-deep, 4096-wide row-major FP32 B block (ldb 4096) took 2.9 ns per element that
     * way and 1.6 in chunks of 16 panels on an AVX2 EPYC (ldb 11008: 2.2 and 1.7; 1024 wide: 0.5 either way).
     */
    private static final int PANELS_PER_CHUNK = 16;

    private PanelPacker() {
    }

    /**
     * @param source  the operand
     * @param x0      first line of the block
     * @param lines   lines in the block
     * @param p0      first depth position
     * @param depth   depth positions in the block
     * @param width   panel width (the kernel's rows for A, columns for B)
     * @param target  packed array; panel t starts at {@code targetOffset + t·width·depth}
     */
    static void pack(ElementReader reader, OperandView source, long x0, int lines, long p0, int depth, int width,
                     float[] target, int targetOffset) {
        int tail = lines % width;
        if (tail != 0) {
            int lastPanel = targetOffset + (lines - tail) * depth;
            Arrays.fill(target, lastPanel, lastPanel + width * depth, 0f);
        }
        long origin = source.index(x0, p0);
        if (source.lineStride() == 1) {
            // Lines are contiguous: one run per depth step across a few panels at a time, so that each panel is
            // written in order and few pages are touched at once.
            int chunk = width * PANELS_PER_CHUNK;
            for (int first = 0; first < lines; first += chunk) {
                int count = Math.min(chunk, lines - first);
                int panelOffset = targetOffset + first * depth;
                for (int p = 0; p < depth; p++) {
                    reader.copy(source.segment(), origin + first + p * source.depthStride(), 1, count, target,
                            panelOffset + p * width, width, width * depth, 1);
                }
            }
        } else {
            // Depth is contiguous: one run per line, scattered width apart into its panel.
            for (int x = 0; x < lines; x++) {
                reader.copy(source.segment(), origin + x * source.lineStride(), source.depthStride(), depth, target,
                        targetOffset + (x / width) * width * depth + x % width, depth, 0, width);
            }
        }
    }
}
