package org.kernels4j.vector.gemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * INT8 GEMM micro-kernel on INT8 values widened to INT32 by packing: 4 rows × 2 vectors of INT32 accumulators,
 * multiply then add (the Vector API has no integer FMA). INT32 lanes wrap in two's complement, which is the
 * required INT8 × INT8 → INT32 semantics.
 */
final class IntKernel4x2 implements MicroKernel<int[]> {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
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
    public void multiply(int[] a, int aOffset, int[] b, int bOffset, int depth, int[] tile, int tileOffset, int tileStride) {
        IntVector c00 = IntVector.zero(SPECIES);
        IntVector c01 = IntVector.zero(SPECIES);
        IntVector c10 = IntVector.zero(SPECIES);
        IntVector c11 = IntVector.zero(SPECIES);
        IntVector c20 = IntVector.zero(SPECIES);
        IntVector c21 = IntVector.zero(SPECIES);
        IntVector c30 = IntVector.zero(SPECIES);
        IntVector c31 = IntVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            int ai = aOffset + p * ROWS;
            int bi = bOffset + p * COLUMNS;
            IntVector b0 = IntVector.fromArray(SPECIES, b, bi);
            IntVector b1 = IntVector.fromArray(SPECIES, b, bi + LANES);
            IntVector a0 = IntVector.broadcast(SPECIES, a[ai]);
            c00 = c00.add(a0.mul(b0));
            c01 = c01.add(a0.mul(b1));
            IntVector a1 = IntVector.broadcast(SPECIES, a[ai + 1]);
            c10 = c10.add(a1.mul(b0));
            c11 = c11.add(a1.mul(b1));
            IntVector a2 = IntVector.broadcast(SPECIES, a[ai + 2]);
            c20 = c20.add(a2.mul(b0));
            c21 = c21.add(a2.mul(b1));
            IntVector a3 = IntVector.broadcast(SPECIES, a[ai + 3]);
            c30 = c30.add(a3.mul(b0));
            c31 = c31.add(a3.mul(b1));
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
