package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jcuda.driver.CUdeviceptr;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * Runs a {@link CudaGemmPlan} on device tensors: repacks operands into scratch memory where the plan says
 * so, launches the GEMM kernel, waits for it and frees the scratch memory.
 *
 * <p>Thread-safe: every call has its own scratch memory.
 */
final class CudaGemm {
    private final CudaContext context;

    CudaGemm(CudaContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    void gemm(GemmSpec spec, CudaTensor a, CudaTensor b, CudaTensor c) {
        Objects.requireNonNull(spec, "spec");
        CudaOperands.checkMatrix("a", a, context, spec.aRows(), spec.aCols(), spec.lda(), spec.inputType());
        CudaOperands.checkMatrix("b", b, context, spec.bRows(), spec.bCols(), spec.ldb(), spec.inputType());
        CudaOperands.checkMatrix("c", c, context, spec.m(), spec.n(), spec.ldc(), spec.outputType());
        CudaOperands.checkDistinct("c", c, a, b);
        if (spec.m() == 0 || spec.n() == 0) {
            return;
        }
        CudaGemmPlan plan = CudaGemmPlan.of(spec);
        List<CUdeviceptr> scratch = new ArrayList<>();
        try {
            if (plan.tensorCore()) {
                CUdeviceptr packedA = packed(plan.a(), a.pointer(), spec.aRows(), spec.aCols(), spec.lda(), spec.inputType(), scratch);
                CUdeviceptr packedB = packed(plan.b(), b.pointer(), spec.bRows(), spec.bCols(), spec.ldb(), spec.inputType(), scratch);
                context.launch(plan.kernel(), plan.launch(), new KernelArguments()
                        .pointer(packedA).longValue(plan.a().ld())
                        .pointer(packedB).longValue(plan.b().ld())
                        .pointer(c.pointer()).longValue(spec.ldc())
                        .longValue(spec.m()).longValue(spec.n()).longValue(plan.depth())
                        .floatValue(spec.alpha()).floatValue(spec.beta()));
            } else {
                boolean readsOperands = plan.depth() > 0;
                context.launch(plan.kernel(), plan.launch(), new KernelArguments()
                        .pointer(readsOperands ? a.pointer() : null).longValue(spec.lda()).intValue(spec.transA() ? 1 : 0)
                        .pointer(readsOperands ? b.pointer() : null).longValue(spec.ldb()).intValue(spec.transB() ? 1 : 0)
                        .pointer(c.pointer()).longValue(spec.ldc())
                        .longValue(spec.m()).longValue(spec.n()).longValue(plan.depth())
                        .floatValue(spec.alpha()).floatValue(spec.beta()));
            }
            context.synchronize();
        } finally {
            scratch.forEach(context::free);
        }
    }

    /** The operand as the tensor-core kernel reads it: as stored, or repacked into new scratch memory. */
    private CUdeviceptr packed(CudaGemmPlan.Operand operand, CUdeviceptr stored, long rows, long cols, long ld,
                               DType dtype, List<CUdeviceptr> scratch) {
        if (operand.repack() == CudaGemmPlan.Repack.NONE) {
            return stored;
        }
        CUdeviceptr target = context.allocate(operand.scratchBytes(dtype));
        scratch.add(target);
        long size = dtype.byteSize();
        if (operand.repack() == CudaGemmPlan.Repack.REALIGN) {
            context.copyOnDevice(stored, ld * size, target, operand.ld() * size, rows, cols * size);
        } else {
            context.launch(CudaKernelNames.transpose((int) size), operand.transpose(), new KernelArguments()
                    .pointer(stored).longValue(ld).pointer(target).longValue(operand.ld())
                    .longValue(rows).longValue(cols));
        }
        return target;
    }
}
