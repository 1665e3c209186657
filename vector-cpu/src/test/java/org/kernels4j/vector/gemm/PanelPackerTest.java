package org.kernels4j.vector.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PanelPackerTest {
    private static final int WIDTH = 16;
    private static final int DEPTH = 7;
    /** Columns of the stored matrix: room for the block, which starts at column 5 and row 2. */
    private static final int LD = 700;

    /**
     * Blocks narrower than, equal to and wider than the panels packed together (several chunks and a partial last
     * panel), read along contiguous lines and along contiguous depth: every element lands where the kernel reads
     * it, and the last panel's padding is zero even when the target held other values before.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 16, 255, 256, 300, 613})
    void placesEveryElementOfTheBlockInItsPanelAndZeroesThePadding(int lines) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment matrix = arena.allocate(ValueLayout.JAVA_FLOAT, (long) LD * LD);
            for (int i = 0; i < LD * LD; i++) {
                matrix.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
            }
            for (boolean linesContiguous : new boolean[] {true, false}) {
                // Element (x, p) at row p, column x when lines are contiguous (B not transposed), else row x, column p.
                OperandView view = linesContiguous ? new OperandView(matrix, 0, 1, LD) : new OperandView(matrix, 0, LD, 1);
                int panels = Math.ceilDiv(lines, WIDTH);
                int offset = 9;
                float[] target = new float[offset + panels * WIDTH * DEPTH];
                Arrays.fill(target, -1f);
                PanelPacker.pack(ElementReader.FP32, view, 5, lines, 2, DEPTH, WIDTH, target, offset);
                for (int x = 0; x < panels * WIDTH; x++) {
                    for (int p = 0; p < DEPTH; p++) {
                        float expected = x < lines ? matrix.getAtIndex(ValueLayout.JAVA_FLOAT, view.index(5 + x, 2 + p)) : 0f;
                        int at = offset + (x / WIDTH) * WIDTH * DEPTH + p * WIDTH + x % WIDTH;
                        assertEquals(expected, target[at], "line " + x + ", depth " + p + ", lines contiguous " + linesContiguous);
                    }
                }
            }
        }
    }
}
