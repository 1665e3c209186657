package org.kernels4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;

/**
 * oneDNN (Intel's deep learning primitives) as the convolution benchmark peer, called through the FFM API: one CPU
 * engine and stream, and per spec a {@link OneDnnConvolution} primitive. It is a {@link Backend} so that the
 * differential checker holds it to the reference like any backend, but it is not registered for dispatch: kernels4j
 * never runs a user's convolution on it. It has no GEMM.
 *
 * <p>Benchmarks {@link #prepare} a spec once and time {@link Prepared#run}, which reorders the weights and runs the
 * primitive: the same work as a kernels4j call that takes plain weights. {@link #conv2d} prepares, runs and frees
 * per call.
 *
 * <p>Discovery never throws: without oneDNN 2.x the peer exists and {@link #availability()} says why. The dtypes it
 * supports depend on the CPU (BF16 and FP16 convolutions need AVX-512 extensions in oneDNN 2.6), so the device lists
 * those for which oneDNN made a small convolution at open. INT8 is refused (see {@link #INT8_REASON}). Thread safety:
 * calls may come from several threads; they run one at a time on the peer's stream.
 */
public final class OneDnnPeer implements Backend {
    public static final String NAME = "onednn";
    /**
     * Measured here (AVX2, no VNNI): oneDNN 2.6 scales s8 weights by 0.5 in its reorder to keep the 16-bit
     * intermediate sums of vpmaddubsw from saturating, so even small-integer convolutions came out wrong. A peer
     * that computes something else is no yardstick.
     */
    static final String INT8_REASON = "INT8 is not compared: oneDNN 2.x's s8 convolutions scale the weights by 0.5 on CPUs"
            + " without VNNI and are not exact";

    private final Optional<OneDnnLibrary.Bindings> bindings;
    private final int threads;
    private final Arena arena = Arena.ofShared();
    /** Calls on the one stream run one at a time. */
    private final Object streamLock = new Object();
    private MemorySegment engine = MemorySegment.NULL;
    private MemorySegment stream = MemorySegment.NULL;
    private final Device device;

    private OneDnnPeer(OneDnnLibrary.Loaded loaded, int threads) {
        this.threads = threads;
        Optional<OneDnnLibrary.Bindings> bound = loaded.bindings();
        String reason = loaded.reason();
        if (bound.isPresent()) {
            try {
                engine = createHandle(bound.get(), true);
                stream = createHandle(bound.get(), false);
            } catch (RuntimeException e) {
                reason = "oneDNN " + bound.get().version() + " could not make a CPU engine and stream: " + e.getMessage();
                bound = Optional.empty();
            }
        }
        this.bindings = bound;
        this.device = bound.isPresent()
                ? new Device(NAME, "oneDNN " + bound.get().version() + " (" + bound.get().location() + ")", Device.Kind.CPU,
                        implementedDtypes(bound.get()), Availability.yes())
                : new Device(NAME, "(not loaded)", Device.Kind.CPU, Set.of(), Availability.no(reason));
    }

    /** The peer, running each convolution with {@code threads} OpenMP threads when available. */
    public static OneDnnPeer open(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        return new OneDnnPeer(OneDnnLibrary.load(), threads);
    }

    /** The input dtypes for which oneDNN makes a small NHWC convolution on this CPU. */
    private Set<DType> implementedDtypes(OneDnnLibrary.Bindings dnnl) {
        Set<DType> dtypes = EnumSet.noneOf(DType.class);
        for (DType input : EnumSet.of(DType.FP32, DType.FP16, DType.BF16)) {
            Conv2dSpec tiny = Conv2dSpec.builder().n(1).c(16).h(4).w(4).k(16).r(1).s(1).layout(Layout.NHWC).inputType(input).build();
            if (implemented(dnnl, tiny).available()) {
                dtypes.add(input);
            }
        }
        return dtypes;
    }

    private MemorySegment createHandle(OneDnnLibrary.Bindings dnnl, boolean isEngine) {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        try {
            int status = isEngine
                    ? (int) dnnl.engineCreate().invokeExact(out, OneDnnLibrary.ENGINE_CPU, 0L)
                    : (int) dnnl.streamCreate().invokeExact(out, engine, OneDnnLibrary.STREAM_DEFAULT_FLAGS);
            OneDnnLibrary.check(status, isEngine ? "dnnl_engine_create" : "dnnl_stream_create");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return out.get(ValueLayout.ADDRESS, 0);
    }

    @Override
    public Device device() {
        return device;
    }

    /** OpenMP threads each convolution runs with. */
    public int threads() {
        return threads;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return availability().available() ? Availability.no("the oneDNN peer benchmarks convolutions only") : availability();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(a, b, c);
        throw new BackendUnavailableException(NAME, supports(spec).reason());
    }

    /** Whether oneDNN has an implementation for {@code spec} on this CPU: it tries to make the primitive. */
    @Override
    public Availability supports(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return bindings.map(dnnl -> implemented(dnnl, spec)).orElse(availability());
    }

    private Availability implemented(OneDnnLibrary.Bindings dnnl, Conv2dSpec spec) {
        if (spec.inputType() == DType.INT8) {
            return Availability.no(INT8_REASON);
        }
        try (Prepared ignored = prepare(dnnl, spec)) {
            return Availability.yes();
        } catch (BackendUnavailableException e) {
            return Availability.no(e.getMessage());
        }
    }

    /**
     * Makes the oneDNN primitive for {@code spec}, to be run many times.
     *
     * @throws BackendUnavailableException when the peer is unavailable or oneDNN has no implementation for the spec
     */
    public Prepared prepare(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.inputType() == DType.INT8) {
            throw new BackendUnavailableException(NAME, INT8_REASON);
        }
        return prepare(bindings.orElseThrow(() -> new BackendUnavailableException(NAME, availability().reason())), spec);
    }

    private Prepared prepare(OneDnnLibrary.Bindings dnnl, Conv2dSpec spec) {
        try {
            return new Prepared(new OneDnnConvolution(dnnl, engine, stream, streamLock, spec, threads), spec);
        } catch (OneDnnLibrary.UnimplementedException e) {
            throw new BackendUnavailableException(NAME, "oneDNN " + dnnl.version() + " has no " + spec.inputType() + "→"
                    + spec.outputType() + " " + spec.layout() + " convolution of this shape on this CPU (" + e.getMessage() + ")");
        }
    }

    @Override
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(x, w, bias, y);
        try (Prepared prepared = prepare(spec)) {
            prepared.run(x, w, bias, y);
        }
    }

    /** A convolution made once and run many times (the benchmarks time {@link #run}). Close it to free the primitive. */
    public static final class Prepared implements AutoCloseable {
        private final OneDnnConvolution convolution;
        private final Conv2dSpec spec;

        private Prepared(OneDnnConvolution convolution, Conv2dSpec spec) {
            this.convolution = convolution;
            this.spec = spec;
        }

        /** "onednn jit:avx2": the peer and the implementation oneDNN chose, for tables. */
        public String label() {
            return NAME + " " + convolution.implementation();
        }

        /** y = conv2d(x, w) + bias, as {@link Backend#conv2d}. */
        public void run(Tensor x, Tensor w, Tensor bias, Tensor y) {
            spec.checkOperands(x, w, bias, y);
            convolution.execute(x, w, bias, y);
        }

        @Override
        public void close() {
            convolution.close();
        }
    }

    /** Destroys the stream and engine; prepared convolutions must be closed first. The library stays loaded. */
    @Override
    public void close() {
        synchronized (streamLock) {
            bindings.ifPresent(dnnl -> {
                try {
                    if (!stream.equals(MemorySegment.NULL)) {
                        dnnl.streamDestroy().invoke(stream);
                    }
                    if (!engine.equals(MemorySegment.NULL)) {
                        dnnl.engineDestroy().invoke(engine);
                    }
                } catch (Throwable e) {
                    // Best effort at the end of the peer's life: a failure leaks the engine, nothing more.
                }
            });
            stream = MemorySegment.NULL;
            engine = MemorySegment.NULL;
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
