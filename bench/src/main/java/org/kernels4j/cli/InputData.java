package org.kernels4j.cli;

import org.kernels4j.DType;
import org.kernels4j.io.NpyArray;
import org.kernels4j.io.NpyDType;

/**
 * What the {@code run} commands make of .npy input data: the compute dtype its element type implies when
 * {@code --dtype} is absent (float32 and float64 → fp32, float16 → fp16, int8 → int8), and whether the data fits a
 * compute dtype (int8 compute takes int8 data only, floating compute float data only).
 */
final class InputData {
    private InputData() {
    }

    /** The compute dtype of {@code file}'s data; {@code op} ("GEMM", "conv2d") names what refuses int32 data. */
    static DType inferred(String option, NpyArray file, String op) {
        return switch (file.dtype()) {
            case FLOAT32, FLOAT64 -> DType.FP32;
            case FLOAT16 -> DType.FP16;
            case INT8 -> DType.INT8;
            case INT32 -> throw new BadInputException(NpyInput.named(option, file) + " holds int32 data, which is not a " + op
                    + " input (give int8, float16, float32 or float64 data)");
        };
    }

    /** Fails unless {@code file}'s data can be computed in {@code dtype}; {@code dtypeOrigin} says where the dtype came from. */
    static void requireKind(String option, NpyArray file, DType dtype, String dtypeOrigin) {
        if (dtype == DType.INT8 && file.dtype() != NpyDType.INT8) {
            throw new BadInputException(NpyInput.named(option, file) + " holds " + file.dtype().numpyName()
                    + " data but " + dtypeOrigin + " needs int8 data");
        }
        if (dtype != DType.INT8 && !file.dtype().isFloatingPoint()) {
            throw new BadInputException(NpyInput.named(option, file) + " holds " + file.dtype().numpyName()
                    + " data but " + dtypeOrigin + " needs float data (float32, float16 or float64)");
        }
    }
}
