package org.kernels4j.ops;

import org.kernels4j.DType;

/** The input → output dtype pairs of DESIGN.md's table, shared by the op specs so that they cannot drift apart. */
final class OutputTypes {
    static final String PAIRS = "FP32→FP32, FP16→FP32|FP16, BF16→FP32|BF16, INT8→INT32|FP32";

    private OutputTypes() {
    }

    /** Fails naming {@code outputType}, the input type and the supported pairs. */
    static void check(DType in, DType out) {
        boolean supported = switch (in) {
            case FP32 -> out == DType.FP32;
            case FP16 -> out == DType.FP32 || out == DType.FP16;
            case BF16 -> out == DType.FP32 || out == DType.BF16;
            case INT8 -> out == DType.INT32 || out == DType.FP32;
            case INT32 -> false;
        };
        if (!supported) {
            throw new IllegalArgumentException("outputType: " + out + " is not supported for inputType " + in + " (" + PAIRS + ")");
        }
    }

    /** INT32 for INT8 inputs, FP32 otherwise. */
    static DType defaultFor(DType in) {
        return in == DType.INT8 ? DType.INT32 : DType.FP32;
    }
}
