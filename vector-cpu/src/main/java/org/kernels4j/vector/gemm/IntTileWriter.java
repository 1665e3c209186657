package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.ops.GemmSpec;

/**
 * {@link TileWriter} into INT32 memory with integer alpha and beta, from tiles of INT8 sums held exactly in FP32 (one
 * slice of at most {@link BlockSizes#MAX_EXACT_INT8_KC} depth steps): each is converted to the int of the same value,
 * then every product and sum wraps modulo 2^32, as INT32 accumulation throughout would.
 */
final class IntTileWriter implements TileWriter {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final int alpha;
    private final int beta;

    IntTileWriter(int alpha, int beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    /**
     * The writer of {@code spec}'s integer alpha and beta: a value up to 2^31 maps to the int with the same value modulo
     * 2^32, which is all wrapping needs.
     */
    static IntTileWriter of(GemmSpec spec) {
        return new IntTileWriter((int) (long) spec.alpha(), (int) (long) spec.beta());
    }

    @Override
    public void write(float[] tile, int tileColumns, int rows, int columns, MemorySegment destination, long index, long ld,
                      boolean firstBlock) {
        int scale = firstBlock ? beta : 1;
        boolean readC = scale != 0;
        for (int r = 0; r < rows; r++) {
            int t = r * tileColumns;
            long row = index + r * ld;
            int j = 0;
            for (; j <= columns - LANES; j += LANES) {
                long offset = (row + j) * Integer.BYTES;
                IntVector sums = (IntVector) FloatVector.fromArray(FLOATS, tile, t + j).convert(VectorOperators.F2I, 0);
                IntVector value = sums.mul(alpha);
                if (readC) {
                    value = value.add(IntVector.fromMemorySegment(INTS, destination, offset, ORDER).mul(scale));
                }
                value.intoMemorySegment(destination, offset, ORDER);
            }
            for (; j < columns; j++) {
                int value = alpha * (int) tile[t + j];
                if (readC) {
                    value += scale * destination.getAtIndex(INT, row + j);
                }
                destination.setAtIndex(INT, row + j, value);
            }
        }
    }
}
