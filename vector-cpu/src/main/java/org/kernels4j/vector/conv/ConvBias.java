package org.kernels4j.vector.conv;

import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * The bias read once into the accumulator's type: {@code floats} for floating inputs, {@code ints} for INT8 (the other
 * is null); both are zeros when the spec has no bias, so that kernels need no second code path.
 */
record ConvBias(boolean present, float[] floats, int[] ints) {
    static ConvBias read(Conv2dSpec spec, Tensor bias) {
        int k = Math.toIntExact(spec.k());
        boolean integer = spec.biasType() == DType.INT32;
        if (bias == null) {
            return integer ? new ConvBias(false, null, new int[k]) : new ConvBias(false, new float[k], null);
        }
        return integer ? new ConvBias(true, null, bias.toIntArray()) : new ConvBias(true, bias.toFloatArray(), null);
    }
}
