package org.kernels4j.gpu.opencl;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Convolution on an {@link OpenClDeviceContext} with native/opencl/conv2d.cl: one program per dtype pair (both
 * layouts, with and without bias, both kernels), built at first use with the device's GEMM tiling and kept until
 * {@link #close()}. Each call copies x, w and the bias to the device, runs the kernel {@link Algorithm#choose}
 * picks, and copies y back.
 *
 * <p>Thread-safe: every call makes its own buffers and kernel object.
 */
final class OpenClConv2d implements AutoCloseable {
    /** Work-items per work-group of the direct kernel: a multiple of every GPU's SIMD width, and wide enough for PoCL to vectorise across. */
    private static final long DIRECT_GROUP_SIZE = 64;
    /** Enough work-items to fill any device; beyond it, each walks several work units. */
    private static final long MAX_DIRECT_GLOBAL_SIZE = 1L << 22;
    /** conv2d.cl's K4J_CONV_FILTERS: the filters one work-item of the direct kernel computes, reusing each input it reads. */
    static final int FILTERS_PER_WORK_ITEM = 4;

    /** The two kernels of conv2d.cl. */
    enum Algorithm {
        /** k4j_conv2d: a few filters per work-item, for depthwise and other narrow groups. */
        DIRECT("k4j_conv2d"),
        /** k4j_conv2d_gemm: the tiled matrix product of input patches and filters, per group. */
        IMPLICIT_GEMM("k4j_conv2d_gemm");

        final String kernel;

        Algorithm(String kernel) {
            this.kernel = kernel;
        }

        /**
         * Implicit GEMM where a group's filters fill at least half the width of a tile, direct otherwise: narrower,
         * most of each tile is padding, while the direct kernel already reuses each input {@link #FILTERS_PER_WORK_ITEM}
         * times. On PoCL with 64-wide tiles (2 cores, FP32, 56×56 3×3 layers), direct ran 2× faster at 16 filters
         * and the implicit GEMM 2.3× faster at 64.
         */
        static Algorithm choose(Conv2dSpec spec, OpenClGemmTiling tiling) {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(tiling, "tiling");
            return spec.filtersPerGroup() * 2 >= tiling.tileN() ? IMPLICIT_GEMM : DIRECT;
        }
    }

    private record DTypePair(DType input, DType output) {
    }

    private final OpenClDeviceContext context;
    private final Supplier<OpenClGemmTiling> tiling;
    private final Optional<Algorithm> forced;
    private final Map<DTypePair, OpenClProgram> programs = new ConcurrentHashMap<>();

    /**
     * @param tiling the blocking of the implicit GEMM kernel, asked for at the first call
     * @param forced the kernel every call runs, or empty for {@link Algorithm#choose}'s
     */
    OpenClConv2d(OpenClDeviceContext context, Supplier<OpenClGemmTiling> tiling, Optional<Algorithm> forced) {
        this.context = Objects.requireNonNull(context, "context");
        this.tiling = Objects.requireNonNull(tiling, "tiling");
        this.forced = Objects.requireNonNull(forced, "forced");
    }

    /** Runs {@code spec}; the operands have been checked against it. */
    void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        OpenClGemmTiling blocking = tiling.get();
        OpenClProgram program = programs.computeIfAbsent(new DTypePair(spec.inputType(), spec.outputType()),
                pair -> context.build(OpenClSources.tiledProgram(OpenClSources.CONV2D),
                        blocking.buildOptions(pair.input(), pair.output()) + " -D K4J_CONV_FILTERS=" + FILTERS_PER_WORK_ITEM));
        Algorithm algorithm = forced.orElseGet(() -> Algorithm.choose(spec, blocking));
        try (CallResources call = new CallResources(context)) {
            cl_mem bufferX = call.upload(contents(x));
            cl_mem bufferW = call.upload(contents(w));
            // The kernels never read the bias buffer without a bias, but need some buffer in its place.
            cl_mem bufferBias = bias == null ? bufferX : call.upload(contents(bias));
            MemorySegment result = contents(y);
            cl_mem bufferY = call.allocate(result.byteSize());
            cl_kernel kernel = call.kernel(program, algorithm.kernel);
            new KernelArguments(kernel)
                    .buffer(bufferX).buffer(bufferW).buffer(bufferBias).clInt(bias == null ? 0 : 1).buffer(bufferY)
                    .clLong(spec.n()).clLong(spec.c()).clLong(spec.h()).clLong(spec.w())
                    .clLong(spec.k()).clLong(spec.r()).clLong(spec.s()).clLong(spec.p()).clLong(spec.q())
                    .clLong(spec.channelsPerGroup()).clLong(spec.filtersPerGroup())
                    .clInt(spec.strideH()).clInt(spec.strideW()).clInt(spec.padTop()).clInt(spec.padLeft())
                    .clInt(spec.dilationH()).clInt(spec.dilationW()).clInt(spec.layout() == Layout.NHWC ? 1 : 0);
            if (algorithm == Algorithm.DIRECT) {
                context.run(kernel, new long[] {directGlobalSize(spec)}, new long[] {DIRECT_GROUP_SIZE});
            } else {
                long[] matrix = blocking.globalSize(spec.n() * spec.p() * spec.q(), spec.filtersPerGroup());
                long[] local = blocking.localSize();
                context.run(kernel, new long[] {matrix[0], matrix[1], spec.groups()}, new long[] {local[0], local[1], 1});
            }
            context.read(bufferY, result);
        }
    }

    /** One work-item per work unit (a run of filters at one output position), in whole work-groups, capped. */
    static long directGlobalSize(Conv2dSpec spec) {
        long runsPerGroup = ceilDiv(spec.filtersPerGroup(), FILTERS_PER_WORK_ITEM);
        long units = spec.n() * spec.groups() * runsPerGroup * spec.p() * spec.q();
        return Math.min(MAX_DIRECT_GLOBAL_SIZE, ceilDiv(units, DIRECT_GROUP_SIZE) * DIRECT_GROUP_SIZE);
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
