package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Runs a {@link CudaConvPlan} on device tensors and waits for it.
 *
 * <p>Thread-safe: it holds no per-call state.
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
        context.launch(plan.kernel(), plan.launch(), new KernelArguments()
                .pointer(x.pointer()).pointer(w.pointer()).pointer(bias == null ? null : bias.pointer())
                .pointer(y.pointer()).intStruct(plan.geometry()));
        context.synchronize();
    }
}
