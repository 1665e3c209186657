package org.kernels4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * One convolution prepared on oneDNN: the primitive for a {@link Conv2dSpec}, plus the reorder of the weights from the
 * spec's plain layout into the one the primitive chose. Each {@link #execute} does what a kernels4j backend does for a
 * call: it reorders the weights (when the primitive wants another layout) and runs the convolution on x, y and the bias
 * in place, in the spec's layout.
 *
 * <p>x and y stay in the spec's plain layout (NCHW or NHWC), as a caller's tensors are; only the weights get oneDNN's
 * choice ({@code format_tag_any}): with plain NHWC weights oneDNN 2.6 falls back to its reference kernel.
 *
 * <p>Thread safety: {@link #execute} holds the stream's lock (the memory objects take the tensors' addresses per call,
 * and the stream is shared). Owns native objects: close it (the engine and stream belong to the caller).
 */
final class OneDnnConvolution implements AutoCloseable {
    private final OneDnnLibrary.Bindings dnnl;
    private final Conv2dSpec spec;
    private final MemorySegment stream;
    private final Object streamLock;
    private final int threads;
    private final Arena arena = Arena.ofShared();
    /** Native objects to destroy on close, each with its destroy function. */
    private final List<Owned> owned = new ArrayList<>();
    private String implementation = "";
    private MemorySegment convolution = MemorySegment.NULL;
    private MemorySegment reorder = MemorySegment.NULL;
    private MemorySegment src = MemorySegment.NULL;
    private MemorySegment userWeights = MemorySegment.NULL;
    private MemorySegment dst = MemorySegment.NULL;
    private MemorySegment biasMemory = MemorySegment.NULL;
    private MemorySegment convolutionArgs = MemorySegment.NULL;
    private MemorySegment reorderArgs = MemorySegment.NULL;

    private record Owned(MethodHandle destroy, MemorySegment handle) {
    }

    /**
     * Prepares {@code spec} on {@code engine}, to run on {@code stream} (one call at a time, under {@code streamLock})
     * with {@code threads} OpenMP threads.
     *
     * @throws OneDnnLibrary.UnimplementedException when oneDNN has no implementation for it on this CPU
     */
    OneDnnConvolution(OneDnnLibrary.Bindings dnnl, MemorySegment engine, MemorySegment stream, Object streamLock, Conv2dSpec spec,
                      int threads) {
        this.dnnl = Objects.requireNonNull(dnnl, "dnnl");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.streamLock = Objects.requireNonNull(streamLock, "streamLock");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        this.threads = threads;
        try {
            prepare(engine);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        } catch (Throwable e) {
            close();
            throw new IllegalStateException("oneDNN convolution setup failed for " + spec + ": " + e, e);
        }
    }

    private void prepare(MemorySegment engine) throws Throwable {
        boolean nchw = spec.layout() == Layout.NCHW;
        int activationTag = nchw ? OneDnnLibrary.TAG_NCHW : OneDnnLibrary.TAG_NHWC;
        int inputType = dataType(spec.inputType());
        MemorySegment srcDesc = memoryDesc(inputType, activationTag, spec.n(), spec.c(), spec.h(), spec.w());
        long[] weightDims = {spec.groups(), spec.filtersPerGroup(), spec.channelsPerGroup(), spec.r(), spec.s()};
        MemorySegment userWeightsDesc = memoryDesc(inputType, nchw ? OneDnnLibrary.TAG_GOIHW : OneDnnLibrary.TAG_GOHWI, weightDims);
        MemorySegment anyWeightsDesc = memoryDesc(inputType, OneDnnLibrary.TAG_ANY, weightDims);
        MemorySegment biasDesc = spec.hasBias() ? memoryDesc(dataType(spec.biasType()), OneDnnLibrary.TAG_X, spec.k()) : MemorySegment.NULL;
        MemorySegment dstDesc = memoryDesc(dataType(spec.outputType()), activationTag, spec.n(), spec.k(), spec.p(), spec.q());
        MemorySegment convDesc = arena.allocate(OneDnnLibrary.CONVOLUTION_DESC_BYTES, 8);
        call(dnnl.dilatedConvolutionForwardDescInit(), "dnnl_dilated_convolution_forward_desc_init", convDesc,
                OneDnnLibrary.FORWARD_INFERENCE, OneDnnLibrary.CONVOLUTION_DIRECT, srcDesc, anyWeightsDesc, biasDesc, dstDesc,
                dims(spec.strideH(), spec.strideW()), dims(spec.dilationH() - 1L, spec.dilationW() - 1L),
                dims(spec.padTop(), spec.padLeft()), dims(spec.padBottom(), spec.padRight()));
        MemorySegment primitiveDesc = create(dnnl.primitiveDescCreate(), "dnnl_primitive_desc_create", null,
                convDesc, MemorySegment.NULL, engine, MemorySegment.NULL);
        try {
            MemorySegment info = arena.allocate(ValueLayout.ADDRESS);
            call(dnnl.primitiveDescQuery(), "dnnl_primitive_desc_query", primitiveDesc, OneDnnLibrary.QUERY_IMPL_INFO_STR, 0, info);
            implementation = info.get(ValueLayout.ADDRESS, 0).reinterpret(256).getString(0);
            MemorySegment chosenWeightsDesc = (MemorySegment) dnnl.primitiveDescQueryMd()
                    .invokeWithArguments(primitiveDesc, OneDnnLibrary.QUERY_WEIGHTS_MD, 0);
            convolution = create(dnnl.primitiveCreate(), "dnnl_primitive_create", dnnl.primitiveDestroy(), primitiveDesc);
            src = memory(srcDesc, engine);
            userWeights = memory(userWeightsDesc, engine);
            dst = memory(dstDesc, engine);
            biasMemory = spec.hasBias() ? memory(biasDesc, engine) : MemorySegment.NULL;
            MemorySegment weights = userWeights;
            if ((int) dnnl.memoryDescEqual().invokeWithArguments(userWeightsDesc, chosenWeightsDesc) == 0) {
                long bytes = (long) dnnl.memoryDescGetSize().invokeWithArguments(chosenWeightsDesc);
                weights = memory(chosenWeightsDesc, engine);
                setHandle(weights, arena.allocate(bytes, 64));
                reorder = createReorder(userWeightsDesc, chosenWeightsDesc, engine);
                reorderArgs = execArgs(new int[] {OneDnnLibrary.ARG_FROM, OneDnnLibrary.ARG_TO}, userWeights, weights);
            }
            convolutionArgs = spec.hasBias()
                    ? execArgs(new int[] {OneDnnLibrary.ARG_SRC, OneDnnLibrary.ARG_WEIGHTS, OneDnnLibrary.ARG_DST, OneDnnLibrary.ARG_BIAS},
                            src, weights, dst, biasMemory)
                    : execArgs(new int[] {OneDnnLibrary.ARG_SRC, OneDnnLibrary.ARG_WEIGHTS, OneDnnLibrary.ARG_DST}, src, weights, dst);
        } finally {
            call(dnnl.primitiveDescDestroy(), "dnnl_primitive_desc_destroy", primitiveDesc);
        }
    }

    private MemorySegment createReorder(MemorySegment from, MemorySegment to, MemorySegment engine) throws Throwable {
        MemorySegment reorderDesc = create(dnnl.reorderPrimitiveDescCreate(), "dnnl_reorder_primitive_desc_create", null,
                from, engine, to, engine, MemorySegment.NULL);
        try {
            return create(dnnl.primitiveCreate(), "dnnl_primitive_create", dnnl.primitiveDestroy(), reorderDesc);
        } finally {
            call(dnnl.primitiveDescDestroy(), "dnnl_primitive_desc_destroy", reorderDesc);
        }
    }

    /** oneDNN's name for the implementation it chose ("jit:avx2", "x64:gemm:jit", "ref:any"). */
    String implementation() {
        return implementation;
    }

    /** Runs the convolution on these operands (already checked against the spec by the caller), and waits for it. */
    void execute(Tensor x, Tensor w, Tensor bias, Tensor y) {
        synchronized (streamLock) {
            if (convolution.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("the oneDNN convolution is closed");
            }
            try {
                if (dnnl.ompSetNumThreads().isPresent()) {
                    // OpenMP's thread count is a per-thread setting: set it on the thread that runs the primitive.
                    dnnl.ompSetNumThreads().get().invokeExact(threads);
                }
                setHandle(src, x.segment());
                setHandle(userWeights, w.segment());
                setHandle(dst, y.segment());
                if (spec.hasBias()) {
                    setHandle(biasMemory, bias.segment());
                }
                if (!reorder.equals(MemorySegment.NULL)) {
                    run(reorder, 2, reorderArgs);
                }
                run(convolution, spec.hasBias() ? 4 : 3, convolutionArgs);
                OneDnnLibrary.check((int) dnnl.streamWait().invokeExact(stream), "dnnl_stream_wait");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("oneDNN convolution failed", e);
            }
        }
    }

    private void run(MemorySegment primitive, int count, MemorySegment args) throws Throwable {
        OneDnnLibrary.check((int) dnnl.primitiveExecute().invokeExact(primitive, stream, count, args), "dnnl_primitive_execute");
    }

    private void setHandle(MemorySegment memory, MemorySegment data) throws Throwable {
        OneDnnLibrary.check((int) dnnl.memorySetDataHandle().invokeExact(memory, data), "dnnl_memory_set_data_handle");
    }

    private MemorySegment memoryDesc(int dataType, int tag, long... dims) throws Throwable {
        MemorySegment desc = arena.allocate(OneDnnLibrary.MEMORY_DESC_BYTES, 8);
        call(dnnl.memoryDescInitByTag(), "dnnl_memory_desc_init_by_tag", desc, dims.length, dims(dims), dataType, tag);
        return desc;
    }

    private MemorySegment memory(MemorySegment desc, MemorySegment engine) throws Throwable {
        return create(dnnl.memoryCreate(), "dnnl_memory_create", dnnl.memoryDestroy(), desc, engine, MemorySegment.NULL);
    }

    private MemorySegment dims(long... values) {
        // dnnl_dims_t: DNNL_MAX_NDIMS (12) int64 values.
        MemorySegment dims = arena.allocate(ValueLayout.JAVA_LONG, 12);
        MemorySegment.copy(values, 0, dims, ValueLayout.JAVA_LONG, 0, values.length);
        return dims;
    }

    private MemorySegment execArgs(int[] kinds, MemorySegment... memories) {
        MemorySegment args = arena.allocate(OneDnnLibrary.EXEC_ARG, kinds.length);
        for (int i = 0; i < kinds.length; i++) {
            long base = i * OneDnnLibrary.EXEC_ARG.byteSize();
            args.set(ValueLayout.JAVA_INT, base, kinds[i]);
            args.set(ValueLayout.ADDRESS, base + 8, memories[i]);
        }
        return args;
    }

    /**
     * Calls a {@code dnnl_*_create(T *out, ...)} function and returns the object it made; remembers it for
     * {@link #close} when {@code destroy} is given.
     */
    private MemorySegment create(MethodHandle function, String name, MethodHandle destroy, Object... arguments) throws Throwable {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        Object[] all = new Object[arguments.length + 1];
        all[0] = out;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        call(function, name, all);
        MemorySegment made = out.get(ValueLayout.ADDRESS, 0);
        if (destroy != null) {
            owned.add(new Owned(destroy, made));
        }
        return made;
    }

    private static void call(MethodHandle function, String name, Object... arguments) throws Throwable {
        OneDnnLibrary.check((int) function.invokeWithArguments(arguments), name);
    }

    static int dataType(DType dtype) {
        return switch (dtype) {
            case FP32 -> OneDnnLibrary.F32;
            case FP16 -> OneDnnLibrary.F16;
            case BF16 -> OneDnnLibrary.BF16;
            case INT8 -> OneDnnLibrary.S8;
            case INT32 -> OneDnnLibrary.S32;
        };
    }

    /** Destroys the primitives and memory objects (in reverse order of creation) and frees the descriptors. */
    @Override
    public void close() {
        synchronized (streamLock) {
            destroyAll();
        }
    }

    private void destroyAll() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).destroy().invoke(owned.get(i).handle());
            } catch (Throwable e) {
                // Destroying is best effort: a failure leaks one object, and closing the rest matters more.
            }
        }
        owned.clear();
        convolution = MemorySegment.NULL;
        reorder = MemorySegment.NULL;
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
