package org.kernels4j.gpu.cuda;

import java.util.Arrays;
import org.kernels4j.DType;

/** The checks of device-tensor operands against a spec, worded as GemmSpec's and Conv2dSpec's host checks are. */
final class CudaOperands {
    private CudaOperands() {
    }

    /** A rows × cols matrix of {@code dtype} with unit column stride and leading dimension {@code ld}. */
    static void checkMatrix(String name, CudaTensor t, CudaContext context, long rows, long cols, long ld, DType dtype) {
        checkOwned(name, t, context);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(name + ".rank: " + t.rank() + " but GEMM needs a matrix (rank 2)");
        }
        checkDType(name, t, dtype);
        if (t.dim(0) != rows || t.dim(1) != cols) {
            throw new IllegalArgumentException(name + ".shape: [" + t.dim(0) + ", " + t.dim(1) + "] but the spec needs ["
                    + rows + ", " + cols + "]");
        }
        if (rows > 0 && cols > 0 && t.stride(1) != 1) {
            throw new IllegalArgumentException(name + ".strides[1]: " + t.stride(1) + " but row-major GEMM operands need 1");
        }
        if (rows > 1 && t.stride(0) != ld) {
            throw new IllegalArgumentException(name + ".strides[0]: " + t.stride(0) + " differs from the spec's leading dimension " + ld);
        }
    }

    /** A contiguous tensor of exactly {@code shape} and {@code dtype}. */
    static void checkDense(String name, CudaTensor t, CudaContext context, long[] shape, DType dtype) {
        checkOwned(name, t, context);
        checkDType(name, t, dtype);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(name + ".shape: " + Arrays.toString(t.shape()) + " but the spec needs "
                    + Arrays.toString(shape));
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(name + ".strides: " + Arrays.toString(t.strides()) + " but the op needs a contiguous tensor");
        }
    }

    /** {@code output} is not the same device tensor as any of {@code inputs}. */
    static void checkDistinct(String outputName, CudaTensor output, CudaTensor... inputs) {
        for (CudaTensor input : inputs) {
            if (input == output) {
                throw new IllegalArgumentException(outputName + ": the output must not be an input tensor (" + output + ")");
            }
        }
    }

    private static void checkOwned(String name, CudaTensor t, CudaContext context) {
        if (t == null) {
            throw new NullPointerException(name);
        }
        if (!t.belongsTo(context)) {
            throw new IllegalArgumentException(name + ": " + t + " belongs to another CUDA backend");
        }
    }

    private static void checkDType(String name, CudaTensor t, DType dtype) {
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + ".dtype: " + t.dtype() + " but the spec needs " + dtype);
        }
    }
}
