package org.kernels4j.gpu.opencl;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.gpu.ElementwiseReduce;

/**
 * The {@link Reducer} of the OpenCL backend: native/opencl/elementwise_reduce.cl on the backend's device,
 * built at first use. Each call copies both ranges to the device, combines them there, and copies the
 * result back, so it pays off only where the device outruns the host by more than those copies cost.
 * {@link #divide} stays on the host ({@link ScalarReducer}): it runs once, at the end of an AVG.
 *
 * <p>Thread-safe: every call makes its own buffers and kernel object. Usable until its backend closes.
 */
final class OpenClReducer implements Reducer, AutoCloseable {
    private static final long GROUP_SIZE = 64;
    /** Enough work-items to fill any device; beyond it, each walks several elements. */
    private static final long MAX_GLOBAL_SIZE = 1L << 20;

    private final OpenClDeviceContext context;
    private OpenClProgram program;

    OpenClReducer(OpenClDeviceContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        Reducer.checkReduceArguments(dtype, op, src, srcOffset, dst, dstOffset, count);
        if (count == 0) {
            return;
        }
        long bytes = count * dtype.byteSize();
        MemorySegment target = dst.asSlice(dstOffset, bytes);
        try (CallResources call = new CallResources(context)) {
            cl_mem into = call.upload(target);
            cl_mem from = call.upload(src.asSlice(srcOffset, bytes));
            cl_kernel kernel = call.kernel(program(), kernelOf(op).kernelName(dtype));
            new KernelArguments(kernel).buffer(into).buffer(from).buffer(into).clLong(count);
            long globalSize = Math.min(MAX_GLOBAL_SIZE, (count + GROUP_SIZE - 1) / GROUP_SIZE * GROUP_SIZE);
            context.run(kernel, new long[] {globalSize}, new long[] {GROUP_SIZE});
            context.read(into, target);
        }
    }

    @Override
    public void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
        ScalarReducer.INSTANCE.divide(dtype, segment, offset, count, divisor);
    }

    /** AVG combines as SUM (the division comes once, at the end). */
    private static ElementwiseReduce kernelOf(ReduceOp op) {
        return switch (op) {
            case SUM, AVG -> ElementwiseReduce.SUM;
            case PROD -> ElementwiseReduce.PROD;
            case MAX -> ElementwiseReduce.MAX;
            case MIN -> ElementwiseReduce.MIN;
        };
    }

    private synchronized OpenClProgram program() {
        if (program == null) {
            program = context.build(OpenClSources.program(OpenClSources.BFLOAT16, OpenClSources.ELEMENTWISE_REDUCE), "");
        }
        return program;
    }

    @Override
    public synchronized void close() {
        if (program != null) {
            program.close();
            program = null;
        }
    }
}
