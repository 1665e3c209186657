package org.kernels4j.vector;

import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kernels4j.Device;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Registers the Vector API backend. It loads on every JVM: when {@code jdk.incubator.vector} is not in the
 * boot layer (the JVM was started without {@code --add-modules jdk.incubator.vector}) it hands out an
 * unavailable backend that says so, and the implementation class, which links incubator classes, is never
 * loaded. That is why the implementation is named here as a string and created reflectively.
 */
public final class VectorCpuBackendProvider implements BackendProvider {
    /** The backend's name, for explicit choice. */
    public static final String NAME = "vector-cpu";

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String MODULE_NOT_READABLE = VECTOR_MODULE
            + " is not readable: start the JVM with --add-modules " + VECTOR_MODULE;

    private static final String IMPLEMENTATION = "org.kernels4j.vector.VectorCpuBackend";
    private static final System.Logger LOG = System.getLogger("org.kernels4j.vector");
    private static final AtomicBoolean REPORTED_MISSING_MODULE = new AtomicBoolean();

    @Override
    public String name() {
        return NAME;
    }

    /** Ahead of the reference backend (0) and behind GPU backends. */
    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Backend create(BackendContext context) {
        Objects.requireNonNull(context, "context");
        if (!vectorModuleReadable()) {
            if (REPORTED_MISSING_MODULE.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, NAME + ": " + MODULE_NOT_READABLE);
            }
            return unavailable(MODULE_NOT_READABLE);
        }
        try {
            return (Backend) Class.forName(IMPLEMENTATION).getConstructor(BackendContext.class).newInstance(context);
        } catch (InvocationTargetException e) {
            return unavailable("failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            return unavailable("failed to load " + IMPLEMENTATION + ": " + e);
        }
    }

    /** Lists the CPU with the reason; links no incubator class. */
    private static Backend unavailable(String reason) {
        return DeviceOnlyBackend.unavailable(NAME, Device.Kind.CPU, CpuInfo.detect().modelName(), reason);
    }

    private static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE)
                .map(VectorCpuBackendProvider.class.getModule()::canRead)
                .orElse(false);
    }
}
