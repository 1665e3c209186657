package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link TileWriter} into INT32 memory with integer alpha and beta; every product and sum wraps modulo 2^32. */
final class IntTileWriter implements TileWriter<int[]> {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final int alpha;
    private final int beta;

    IntTileWriter(int alpha, int beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    public void write(int[] tile, int tileColumns, int rows, int columns, MemorySegment destination, long index, long ld,
                      boolean firstBlock) {
        int scale = firstBlock ? beta : 1;
        boolean readC = scale != 0;
        for (int r = 0; r < rows; r++) {
            int t = r * tileColumns;
            long row = index + r * ld;
            int j = 0;
            for (; j <= columns - LANES; j += LANES) {
                long offset = (row + j) * Integer.BYTES;
                IntVector value = IntVector.fromArray(SPECIES, tile, t + j).mul(alpha);
                if (readC) {
                    value = value.add(IntVector.fromMemorySegment(SPECIES, destination, offset, ORDER).mul(scale));
                }
                value.intoMemorySegment(destination, offset, ORDER);
            }
            for (; j < columns; j++) {
                int value = alpha * tile[t + j];
                if (readC) {
                    value += scale * destination.getAtIndex(INT, row + j);
                }
                destination.setAtIndex(INT, row + j, value);
            }
        }
    }
}
