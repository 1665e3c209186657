package org.kernels4j.vector.reduce;

import org.kernels4j.comm.Reducer;
import org.kernels4j.testing.ReducerConformanceTest;

/** The SIMD reducer against the scalar one, bit for bit. */
class VectorReducerTest extends ReducerConformanceTest {
    @Override
    protected Reducer reducer() {
        return VectorReducer.INSTANCE;
    }
}
