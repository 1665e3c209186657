package org.kernels4j.bench;

import java.util.Objects;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.validate.Fill;

/**
 * A, B and C for benchmarking a spec: A and B filled with {@link Fill#RANDOM} values from a fixed seed
 * (so every implementation multiplies the same numbers), C zero. Closing frees all three.
 *
 * @param a op(A) stored as the spec says
 * @param b op(B) stored as the spec says
 * @param c the output
 */
public record GemmOperands(Tensor a, Tensor b, Tensor c) implements AutoCloseable {
    public GemmOperands {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
    }

    public static GemmOperands create(GemmSpec spec, long seed) {
        Objects.requireNonNull(spec, "spec");
        Tensor a = Tensor.allocateMatrix(spec.inputType(), spec.aRows(), spec.aCols(), spec.lda());
        Tensor b = Tensor.allocateMatrix(spec.inputType(), spec.bRows(), spec.bCols(), spec.ldb());
        Tensor c = Tensor.allocateMatrix(spec.outputType(), spec.m(), spec.n(), spec.ldc());
        OperandTensors.fillRandom(seed, a, b);
        return new GemmOperands(a, b, c);
    }

    @Override
    public void close() {
        OperandTensors.closeAll(a, b, c);
    }
}
