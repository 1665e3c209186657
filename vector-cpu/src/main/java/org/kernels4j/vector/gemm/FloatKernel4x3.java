package org.kernels4j.vector.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FP32 micro-kernel of 4 rows × 3 vectors (12 accumulators), for machines with 32 vector registers
 * (AVX-512): with 512-bit vectors this shape ran at the core's FP32 peak on Zen 4, while on AVX2's 16
 * registers it spills and {@link FloatKernel4x2} is faster.
 */
final class FloatKernel4x3 implements MicroKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int ROWS = 4;
    private static final int COLUMNS = 3 * LANES;

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
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        for (int p = 0; p < depth; p++) {
            int ai = aOffset + p * ROWS;
            int bi = bOffset + p * COLUMNS;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        c00.intoArray(tile, tileOffset);
        c01.intoArray(tile, tileOffset + LANES);
        c02.intoArray(tile, tileOffset + 2 * LANES);
        c10.intoArray(tile, tileOffset + tileStride);
        c11.intoArray(tile, tileOffset + tileStride + LANES);
        c12.intoArray(tile, tileOffset + tileStride + 2 * LANES);
        c20.intoArray(tile, tileOffset + 2 * tileStride);
        c21.intoArray(tile, tileOffset + 2 * tileStride + LANES);
        c22.intoArray(tile, tileOffset + 2 * tileStride + 2 * LANES);
        c30.intoArray(tile, tileOffset + 3 * tileStride);
        c31.intoArray(tile, tileOffset + 3 * tileStride + LANES);
        c32.intoArray(tile, tileOffset + 3 * tileStride + 2 * LANES);
    }
}
