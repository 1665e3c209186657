package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.DType;

/** The input dtypes GEMM (and conv2d) compute in, and the check that a dtype given on the command line is one of them. */
final class GemmDtypes {
    static final List<DType> INPUTS = List.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8);

    private GemmDtypes() {
    }

    static DType requireInput(String option, DType dtype) {
        return requireInput(option, dtype, Operation.GEMM);
    }

    /** The same check for the input of {@code op} ("gemm", "conv2d"), which computes in the same dtypes. */
    static DType requireInput(String option, DType dtype, String op) {
        if (!INPUTS.contains(dtype)) {
            String name = op.equals(Operation.GEMM) ? "GEMM" : op;
            throw new BadInputException("--" + option + ": " + dtype.cliName() + " is not a " + name + " input dtype (fp32, fp16, bf16 or int8)");
        }
        return dtype;
    }

    static List<DType> requireInputs(String option, List<DType> dtypes) {
        return requireInputs(option, dtypes, Operation.GEMM);
    }

    static List<DType> requireInputs(String option, List<DType> dtypes, String op) {
        dtypes.forEach(dtype -> requireInput(option, dtype, op));
        return dtypes;
    }
}
