package org.kernels4j.bench;

import java.util.Objects;
import org.kernels4j.Tensor;
import org.kernels4j.validate.Fill;

/**
 * The tensors of a benchmark's operands: inputs filled with {@link Fill#RANDOM} values from consecutive seeds (so every
 * implementation computes on the same numbers whichever operation it is), and all of them closed together.
 */
final class OperandTensors {
    private OperandTensors() {
    }

    /** Fills {@code inputs[i]} from {@code seed + i}; a null input (an absent bias) is left out. */
    static void fillRandom(long seed, Tensor... inputs) {
        Objects.requireNonNull(inputs, "inputs");
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                Fill.RANDOM.fill(inputs[i], seed + i);
            }
        }
    }

    /** Closes every tensor that is not null. */
    static void closeAll(Tensor... tensors) {
        Objects.requireNonNull(tensors, "tensors");
        for (Tensor tensor : tensors) {
            if (tensor != null) {
                tensor.close();
            }
        }
    }
}
