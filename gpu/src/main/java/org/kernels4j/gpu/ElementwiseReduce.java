package org.kernels4j.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.kernels4j.DType;

/**
 * The elementwise reduction kernels {@code out[i] = a[i] op b[i]} that collectives are built from, as
 * named in native/cuda/elementwise_reduce.cu and native/opencl/elementwise_reduce.cl. This list is the
 * Java side's promise about those files: tests check the CUDA fatbin and the OpenCL program against it.
 */
public enum ElementwiseReduce {
    SUM, PROD, MAX, MIN;

    /** The element types every operation has a kernel for. */
    public static final Set<DType> DTYPES = Collections.unmodifiableSet(
            EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8, DType.INT32));

    /** The kernel's symbol, {@code k4j_reduce_<op>_<dtype>}, e.g. {@code k4j_reduce_sum_bf16}. */
    public String kernelName(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (!DTYPES.contains(dtype)) {
            throw new IllegalArgumentException("dtype: " + dtype + " has no elementwise reduce kernel (have " + DTYPES + ")");
        }
        return "k4j_reduce_" + name().toLowerCase(Locale.ROOT) + "_" + dtype.cliName();
    }

    /** Every kernel of the family, one per operation and dtype. */
    public static List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (ElementwiseReduce op : values()) {
            for (DType dtype : DTYPES) {
                names.add(op.kernelName(dtype));
            }
        }
        return List.copyOf(names);
    }
}
