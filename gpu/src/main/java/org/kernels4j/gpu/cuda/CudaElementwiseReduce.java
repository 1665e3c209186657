package org.kernels4j.gpu.cuda;

import java.util.Objects;
import org.kernels4j.gpu.ElementwiseReduce;

/**
 * {@code out[i] = a[i] op b[i]} on device tensors with native/cuda/elementwise_reduce.cu, the step a
 * device-side collective is made of. {@code out} may be {@code a} or {@code b}.
 *
 * <p>Thread-safe: it holds no per-call state.
 */
final class CudaElementwiseReduce {
    static final int THREADS = 256;
    static final long MAX_BLOCKS = 1L << 16;

    private final CudaContext context;

    CudaElementwiseReduce(CudaContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    void reduce(ElementwiseReduce op, CudaTensor a, CudaTensor b, CudaTensor out) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(a, "a");
        String kernel = op.kernelName(a.dtype());
        CudaOperands.checkDense("a", a, context, a.shape(), a.dtype());
        CudaOperands.checkDense("b", b, context, a.shape(), a.dtype());
        CudaOperands.checkDense("out", out, context, a.shape(), a.dtype());
        long count = CudaTensor.span(a.shape(), a.strides());
        if (count == 0) {
            return;
        }
        context.launch(kernel, launch(count), new KernelArguments()
                .pointer(a.pointer()).pointer(b.pointer()).pointer(out.pointer()).longValue(count));
        context.synchronize();
    }

    /** A 1-D grid for {@code count} elements; the kernel strides over whatever the grid does not cover. */
    static CudaLaunch launch(long count) {
        return new CudaLaunch((int) Math.min(MAX_BLOCKS, CudaLaunch.tiles(count, THREADS)), 1, 1, THREADS, 1, 0);
    }
}
