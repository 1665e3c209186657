package org.kernels4j.vector.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FP32 micro-kernel of 4 rows × 2 vectors (8 accumulators): per depth step 2 vector loads of B, 4 broadcasts of
 * A and 8 FMAs. On AVX2 (16 vector registers) this is the largest shape C2 compiles without spilling an
 * accumulator: 6 × 2 and 4 × 3 leave too few registers for the broadcasts and ran at about half the speed.
 */
final class FloatKernel4x2 implements MicroKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int ROWS = 4;
    private static final int COLUMNS = 2 * LANES;

    @Override
    public int rows() {
        return ROWS;
    }

    @Override
    public int columns() {
        return COLUMNS;
    }

    @Override
    public void multiply(float[] a, int aOffset, float[] b, int bOffset, int depth, float[] tile, int tileOffset, int tileStride) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            int ai = aOffset + p * ROWS;
            int bi = bOffset + p * COLUMNS;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(tile, tileOffset);
        c01.intoArray(tile, tileOffset + LANES);
        c10.intoArray(tile, tileOffset + tileStride);
        c11.intoArray(tile, tileOffset + tileStride + LANES);
        c20.intoArray(tile, tileOffset + 2 * tileStride);
        c21.intoArray(tile, tileOffset + 2 * tileStride + LANES);
        c30.intoArray(tile, tileOffset + 3 * tileStride);
        c31.intoArray(tile, tileOffset + 3 * tileStride + LANES);
    }
}
