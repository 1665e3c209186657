package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jcuda.driver.CUdeviceptr;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Runs a {@link CudaConvPlan} on device tensors and waits for it; an NCHW convolution on the NHWC tensor-core
 * kernel transposes x and w into scratch memory before it and its output into y after it.
 *
 * <p>Thread-safe: every call has its own scratch memory.
 */
final class CudaConv2d {
    private final CudaContext context;

    CudaConv2d(CudaContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    void conv2d(Conv2dSpec spec, CudaTensor x, CudaTensor w, CudaTensor bias, CudaTensor y) {
        Objects.requireNonNull(spec, "spec");
        CudaOperands.checkDense("x", x, context, spec.xShape(), spec.inputType());
        CudaOperands.checkDense("w", w, context, spec.wShape(), spec.inputType());
        if (spec.hasBias()) {
            CudaOperands.checkDense("bias", bias, context, spec.biasShape(), spec.biasType());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias: " + bias + " given but the spec has no bias");
        }
        CudaOperands.checkDense("y", y, context, spec.yShape(), spec.outputType());
        CudaOperands.checkDistinct("y", y, x, w, bias);
        CudaConvPlan plan = CudaConvPlan.of(spec);
        CUdeviceptr biasPointer = bias == null ? null : bias.pointer();
        CudaConvPlan.LayoutTransforms transforms = plan.transforms();
        if (transforms == null) {
            launch(plan, x.pointer(), w.pointer(), biasPointer, y.pointer());
            context.synchronize();
            return;
        }
        List<CUdeviceptr> scratch = new ArrayList<>();
        try {
            CUdeviceptr nhwcX = transposed(transforms.input(), x.pointer(), x.byteSize(), scratch);
            CUdeviceptr nhwcW = transposed(transforms.weights(), w.pointer(), w.byteSize(), scratch);
            CUdeviceptr nhwcY = context.allocate(y.byteSize());
            scratch.add(nhwcY);
            launch(plan, nhwcX, nhwcW, biasPointer, nhwcY);
            transpose(transforms.output(), nhwcY, y.pointer());
            context.synchronize();
        } finally {
            scratch.forEach(context::free);
        }
    }

    private void launch(CudaConvPlan plan, CUdeviceptr x, CUdeviceptr w, CUdeviceptr bias, CUdeviceptr y) {
        context.launch(plan.kernel(), plan.launch(), new KernelArguments()
                .pointer(x).pointer(w).pointer(bias).pointer(y).intStruct(plan.geometry()));
    }

    /** A transposed copy of {@code bytes} at {@code source} in new scratch memory. */
    private CUdeviceptr transposed(CudaConvPlan.Transpose transpose, CUdeviceptr source, long bytes, List<CUdeviceptr> scratch) {
        CUdeviceptr target = context.allocate(bytes);
        scratch.add(target);
        transpose(transpose, source, target);
        return target;
    }

    private void transpose(CudaConvPlan.Transpose transpose, CUdeviceptr source, CUdeviceptr target) {
        context.launch(transpose.kernel(), transpose.launch(), new KernelArguments()
                .pointer(source).pointer(target).longValue(transpose.rows()).longValue(transpose.cols()));
    }
}
