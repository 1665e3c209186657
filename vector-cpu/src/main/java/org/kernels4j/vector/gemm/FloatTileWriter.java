package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileWriter} into FP32 memory. Multiplies and adds are rounded separately (no FMA) in both the vector and
 * the scalar path, so both give identical bits.
 */
final class FloatTileWriter implements TileWriter {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final float alpha;
    private final float beta;

    FloatTileWriter(float alpha, float beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    public void write(float[] tile, int tileColumns, int rows, int columns, MemorySegment destination, long index, long ld,
                      boolean firstBlock) {
        float scale = firstBlock ? beta : 1f;
        boolean readC = scale != 0f;
        for (int r = 0; r < rows; r++) {
            int t = r * tileColumns;
            long row = index + r * ld;
            int j = 0;
            for (; j <= columns - LANES; j += LANES) {
                long offset = (row + j) * Float.BYTES;
                FloatVector value = FloatVector.fromArray(SPECIES, tile, t + j).mul(alpha);
                if (readC) {
                    value = value.add(FloatVector.fromMemorySegment(SPECIES, destination, offset, ORDER).mul(scale));
                }
                value.intoMemorySegment(destination, offset, ORDER);
            }
            for (; j < columns; j++) {
                float value = alpha * tile[t + j];
                if (readC) {
                    value += scale * destination.getAtIndex(FLOAT, row + j);
                }
                destination.setAtIndex(FLOAT, row + j, value);
            }
        }
    }
}
