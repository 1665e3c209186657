package org.kernels4j.gpu.opencl;

import java.util.Objects;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Registers the OpenCL backend. Its place in dispatch order depends on the device it finds: a GPU
 * ranks below CUDA and above the CPU backends; a CPU device (PoCL) ranks below vector-cpu, which is
 * faster on the same cores, and above the reference. Links no JOCL class itself: an unavailable device
 * gets a {@link DeviceOnlyBackend} with the reason, an available one an {@link OpenClBackend}.
 *
 * <p>Thread-safe; discovery runs once per provider instance.
 */
public final class OpenClBackendProvider implements BackendProvider {
    public static final String NAME = "opencl";
    static final int GPU_PRIORITY = 200;
    static final int CPU_PRIORITY = 50;

    // Discovered lazily: priority() is asked before create() and needs the device's kind.
    private volatile OpenClDiscovery.Discovered discovered;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return discovered().device().kind() == Device.Kind.GPU ? GPU_PRIORITY : CPU_PRIORITY;
    }

    @Override
    public Backend create(BackendContext context) {
        Objects.requireNonNull(context, "context");
        OpenClDiscovery.Discovered found = discovered();
        if (found.chosen().isEmpty()) {
            return new DeviceOnlyBackend(found.device(), found.device().availability().reason());
        }
        try {
            return new OpenClBackend(found.device(), found.chosen().get());
        } catch (OpenClException e) {
            Device listed = found.device();
            Device failed = new Device(NAME, listed.name(), listed.kind(), Set.of(), Availability.no(e.getMessage()));
            return new DeviceOnlyBackend(failed, e.getMessage());
        }
    }

    private OpenClDiscovery.Discovered discovered() {
        OpenClDiscovery.Discovered found = discovered;
        if (found == null) {
            synchronized (this) {
                if (discovered == null) {
                    discovered = OpenClDiscovery.discover();
                }
                found = discovered;
            }
        }
        return found;
    }
}
