package org.kernels4j.bench;

import java.util.Objects;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.validate.Fill;

/**
 * x, w, the bias and y for benchmarking a convolution spec: x, w and the bias filled with {@link Fill#RANDOM} values
 * from a fixed seed (so every implementation convolves the same numbers), y zero. Closing frees them all.
 *
 * @param x    the input, as the spec lays it out
 * @param w    the filters
 * @param bias the bias, null exactly when the spec has none
 * @param y    the output
 */
public record ConvOperands(Tensor x, Tensor w, Tensor bias, Tensor y) implements AutoCloseable {
    public ConvOperands {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(y, "y");
    }

    public static ConvOperands create(Conv2dSpec spec, long seed) {
        Objects.requireNonNull(spec, "spec");
        Tensor x = Tensor.allocate(spec.inputType(), spec.xShape());
        Tensor w = Tensor.allocate(spec.inputType(), spec.wShape());
        Tensor bias = spec.hasBias() ? Tensor.allocate(spec.biasType(), spec.biasShape()) : null;
        Tensor y = Tensor.allocate(spec.outputType(), spec.yShape());
        OperandTensors.fillRandom(seed, x, w, bias);
        return new ConvOperands(x, w, bias, y);
    }

    @Override
    public void close() {
        OperandTensors.closeAll(x, w, bias, y);
    }
}
