package org.kernels4j.gpu.opencl;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Convolution on an {@link OpenClDeviceContext} with native/opencl/conv2d.cl: one program per dtype pair
 * (both layouts, with and without bias), built at first use and kept until {@link #close()}. Each call
 * copies x, w and the bias to the device, runs the direct kernel, and copies y back.
 *
 * <p>Thread-safe: every call makes its own buffers and kernel object.
 */
final class OpenClConv2d implements AutoCloseable {
    private static final String KERNEL = "k4j_conv2d";
    /** Work-items per work-group: a multiple of every GPU's SIMD width, and wide enough for PoCL to vectorise across. */
    private static final long GROUP_SIZE = 64;
    /** Enough work-items to fill any device; beyond it, each walks several work units. */
    private static final long MAX_GLOBAL_SIZE = 1L << 22;
    /** conv2d.cl's K4J_CONV_FILTERS: the filters one work-item computes, reusing each input element it reads. */
    static final int FILTERS_PER_WORK_ITEM = 4;

    private record DTypePair(DType input, DType output) {
    }

    private final OpenClDeviceContext context;
    private final Map<DTypePair, OpenClProgram> programs = new ConcurrentHashMap<>();

    OpenClConv2d(OpenClDeviceContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Runs {@code spec}; the operands have been checked against it. */
    void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        OpenClProgram program = programs.computeIfAbsent(new DTypePair(spec.inputType(), spec.outputType()),
                pair -> context.build(OpenClSources.dtypeGeneric(OpenClSources.CONV2D),
                        OpenClSources.dtypeOptions(pair.input(), pair.output()) + " -D K4J_CONV_FILTERS=" + FILTERS_PER_WORK_ITEM));
        try (CallResources call = new CallResources(context)) {
            cl_mem bufferX = call.upload(contents(x));
            cl_mem bufferW = call.upload(contents(w));
            // The kernel never reads the bias buffer without a bias, but needs some buffer in its place.
            cl_mem bufferBias = bias == null ? bufferX : call.upload(contents(bias));
            MemorySegment result = contents(y);
            cl_mem bufferY = call.allocate(result.byteSize());
            cl_kernel kernel = call.kernel(program, KERNEL);
            new KernelArguments(kernel)
                    .buffer(bufferX).buffer(bufferW).buffer(bufferBias).clInt(bias == null ? 0 : 1).buffer(bufferY)
                    .clLong(spec.n()).clLong(spec.c()).clLong(spec.h()).clLong(spec.w())
                    .clLong(spec.k()).clLong(spec.r()).clLong(spec.s()).clLong(spec.p()).clLong(spec.q())
                    .clLong(spec.channelsPerGroup()).clLong(spec.filtersPerGroup())
                    .clInt(spec.strideH()).clInt(spec.strideW()).clInt(spec.padTop()).clInt(spec.padLeft())
                    .clInt(spec.dilationH()).clInt(spec.dilationW()).clInt(spec.layout() == Layout.NHWC ? 1 : 0);
            context.run(kernel, new long[] {globalSize(spec)}, new long[] {GROUP_SIZE});
            context.read(bufferY, result);
        }
    }

    /** One work-item per work unit (a run of filters at one output position), in whole work-groups, capped. */
    static long globalSize(Conv2dSpec spec) {
        long runsPerGroup = ceilDiv(spec.filtersPerGroup(), FILTERS_PER_WORK_ITEM);
        long units = spec.n() * spec.groups() * runsPerGroup * spec.p() * spec.q();
        return Math.min(MAX_GLOBAL_SIZE, ceilDiv(units, GROUP_SIZE) * GROUP_SIZE);
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }

    private static MemorySegment contents(Tensor t) {
        return t.segment().asSlice(0, t.elementCount() * t.dtype().byteSize());
    }

    @Override
    public void close() {
        programs.values().forEach(OpenClProgram::close);
        programs.clear();
    }
}
