package org.kernels4j;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.function.Function;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Entry point: discovers the backends on the class path and dispatches each call to one of them.
 *
 * <p>Automatic choice takes the available backend with the highest priority that supports the spec
 * (the reference backend is last); an explicit {@link #backend(String)} that cannot run fails with the
 * reason instead of falling back. What ran is returned as an {@link Execution} and logged at DEBUG on
 * the {@code org.kernels4j} {@link System.Logger}.
 *
 * <p>Thread safety: after {@link #open}, all methods may be called from several threads; {@link #close()}
 * must not race with calls.
 */
public final class Kernels implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.kernels4j");

    private final List<Backend> backends;

    private Kernels(List<Backend> backends) {
        this.backends = List.copyOf(backends);
    }

    /** Discovers every backend, with one CPU thread per available processor. */
    public static Kernels open() {
        return open(BackendContext.defaults());
    }

    /** Discovers every backend; CPU backends use {@code threads} threads. */
    public static Kernels open(int threads) {
        return open(new BackendContext(threads));
    }

    public static Kernels open(BackendContext context) {
        Objects.requireNonNull(context, "context");
        List<Ranked> ranked = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class).iterator();
        while (true) {
            BackendProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                // The provider class itself failed to load; keep going with the others.
                ranked.add(new Ranked(Integer.MIN_VALUE, notLoaded(providerName(e), describe(e))));
                continue;
            }
            ranked.add(new Ranked(provider.priority(), create(provider, context)));
        }
        ranked.sort(Comparator.comparingInt(Ranked::priority).reversed());
        List<Backend> backends = ranked.stream().map(Ranked::backend).toList();
        for (Backend b : backends) {
            LOG.log(Level.DEBUG, () -> "kernels4j backend " + b.name() + ": " + b.availability());
        }
        return new Kernels(backends);
    }

    /** Every discovered backend's device, in dispatch order, available or not (with the reason). */
    public List<Device> devices() {
        return backends.stream().map(Backend::device).toList();
    }

    /** Allocates a zero-filled row-major tensor (see {@link Tensor#allocate}). */
    public Tensor allocate(DType dtype, long... shape) {
        return Tensor.allocate(dtype, shape);
    }

    /**
     * The backend called {@code name}.
     *
     * @throws IllegalArgumentException     when no backend has that name (the message lists the names)
     * @throws BackendUnavailableException  when it exists but cannot run, with the reason
     */
    public Backend backend(String name) {
        Objects.requireNonNull(name, "name");
        for (Backend b : backends) {
            if (b.name().equals(name)) {
                if (!b.availability().available()) {
                    throw new BackendUnavailableException(name, b.availability().reason());
                }
                return b;
            }
        }
        throw new IllegalArgumentException("backend: unknown name '" + name + "' (known: " + names() + ")");
    }

    /** The backend automatic dispatch would use for {@code spec}; fails listing every backend's reason. */
    public Backend select(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return select(spec, b -> b.supports(spec));
    }

    /** The backend automatic dispatch would use for the convolution {@code spec}; fails listing every backend's reason. */
    public Backend select(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return select(spec, b -> b.supports(spec));
    }

    /** Runs the GEMM on the automatically chosen backend and says which one ran. */
    public Execution gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Backend backend = select(spec);
        backend.gemm(spec, a, b, c);
        return ran("gemm", spec, backend);
    }

    /**
     * Runs the convolution on the automatically chosen backend and says which one ran; {@code bias} is null exactly
     * when the spec has no bias.
     */
    public Execution conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Backend backend = select(spec);
        backend.conv2d(spec, x, w, bias, y);
        return ran("conv2d", spec, backend);
    }

    /**
     * The reduction step of the highest-priority available CPU backend that offers one (the SIMD one of
     * {@code vector-cpu} when it loads), else the scalar one; pass it to collectives with
     * {@link CommunicatorOptions#withReducer}. Collectives reduce host buffers, which a GPU backend's reducer
     * would copy to its device and back on every step, so GPU reducers are only used when asked for by name
     * ({@code backend("opencl").reducer()}).
     */
    public Reducer reducer() {
        for (Backend b : backends) {
            if (b.availability().available() && b.device().kind() == Device.Kind.CPU) {
                Optional<Reducer> reducer = b.reducer();
                if (reducer.isPresent()) {
                    return reducer.get();
                }
            }
        }
        return ScalarReducer.INSTANCE;
    }

    /** Closes every backend. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Backend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Backend select(Object spec, Function<Backend, Availability> supports) {
        StringJoiner reasons = new StringJoiner("; ");
        for (Backend b : backends) {
            Availability verdict = b.availability().available() ? supports.apply(b) : b.availability();
            if (verdict.available()) {
                return b;
            }
            reasons.add(b.name() + ": " + verdict.reason());
        }
        throw new BackendUnavailableException("auto", "no backend runs " + spec + " (" + reasons + ")");
    }

    private static Execution ran(String op, Object spec, Backend backend) {
        Execution execution = new Execution(backend.name(), backend.device().name());
        LOG.log(Level.DEBUG, () -> op + " " + spec + " ran on " + execution);
        return execution;
    }

    private String names() {
        return String.join(", ", backends.stream().map(Backend::name).toList());
    }

    private static Backend create(BackendProvider provider, BackendContext context) {
        try {
            return Objects.requireNonNull(provider.create(context), "provider returned null");
        } catch (RuntimeException | LinkageError e) {
            return notLoaded(provider.name(), describe(e));
        }
    }

    private static Backend notLoaded(String name, String reason) {
        return DeviceOnlyBackend.unavailable(name, Device.Kind.CPU, "(not loaded)", reason);
    }

    private static String providerName(ServiceConfigurationError e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Provider ");
        if (at >= 0) {
            String rest = message.substring(at + "Provider ".length());
            int end = rest.indexOf(' ');
            return end > 0 ? rest.substring(0, end) : rest;
        }
        return "unknown-provider";
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        return root == e ? String.valueOf(message) : message + " (caused by " + root + ")";
    }

    private record Ranked(int priority, Backend backend) {
    }
}
