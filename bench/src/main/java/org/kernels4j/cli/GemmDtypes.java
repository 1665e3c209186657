package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.DType;

/** The input dtypes GEMM computes in, and the check that a dtype given on the command line is one of them. */
final class GemmDtypes {
    static final List<DType> INPUTS = List.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8);

    private GemmDtypes() {
    }

    static DType requireInput(String option, DType dtype) {
        if (!INPUTS.contains(dtype)) {
            throw new BadInputException("--" + option + ": " + dtype.cliName() + " is not a GEMM input dtype (fp32, fp16, bf16 or int8)");
        }
        return dtype;
    }

    static List<DType> requireInputs(String option, List<DType> dtypes) {
        dtypes.forEach(dtype -> requireInput(option, dtype));
        return dtypes;
    }
}
