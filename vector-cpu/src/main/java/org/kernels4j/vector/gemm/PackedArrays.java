package org.kernels4j.vector.gemm;

import java.util.Arrays;

/** The operations the framework needs on a packed array type ({@code float[]} or {@code int[]}), so that it is written once for both. */
interface PackedArrays<A> {
    PackedArrays<float[]> FLOAT = new PackedArrays<>() {
        @Override
        public float[] allocate(int length) {
            return new float[length];
        }

        @Override
        public int length(float[] array) {
            return array.length;
        }

        @Override
        public void clear(float[] array, int from, int to) {
            Arrays.fill(array, from, to, 0f);
        }
    };

    PackedArrays<int[]> INT = new PackedArrays<>() {
        @Override
        public int[] allocate(int length) {
            return new int[length];
        }

        @Override
        public int length(int[] array) {
            return array.length;
        }

        @Override
        public void clear(int[] array, int from, int to) {
            Arrays.fill(array, from, to, 0);
        }
    };

    A allocate(int length);

    int length(A array);

    /** Zeroes [from, to). */
    void clear(A array, int from, int to);
}
