package org.kernels4j.gpu.opencl;

import java.util.Objects;
import org.kernels4j.Device;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

/**
 * Registers the OpenCL backend. Its place in dispatch order depends on the device it finds: a GPU
 * ranks below CUDA and above the CPU backends; a CPU device (PoCL) ranks below vector-cpu, which is
 * faster on the same cores, and above the reference. Links no JOCL class itself. In this build it
 * discovers platforms and devices; its GEMM kernels are not here yet, and it says so.
 *
 * <p>Thread-safe; discovery runs once per provider instance.
 */
public final class OpenClBackendProvider implements BackendProvider {
    public static final String NAME = "opencl";
    static final String GEMM_MISSING = "OpenCL GEMM kernels arrive with issue 8 (not in this build)";
    static final int GPU_PRIORITY = 200;
    static final int CPU_PRIORITY = 50;

    // Discovered lazily: priority() is asked before create() and needs the device's kind.
    private volatile Device device;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return device().kind() == Device.Kind.GPU ? GPU_PRIORITY : CPU_PRIORITY;
    }

    @Override
    public Backend create(BackendContext context) {
        Objects.requireNonNull(context, "context");
        return new DeviceOnlyBackend(device(), GEMM_MISSING);
    }

    private Device device() {
        Device found = device;
        if (found == null) {
            synchronized (this) {
                if (device == null) {
                    device = OpenClDiscovery.discover();
                }
                found = device;
            }
        }
        return found;
    }
}
