package org.kernels4j.gpu.opencl;

import java.util.List;
import org.kernels4j.gpu.GpuDescription;
import org.kernels4j.gpu.SignalHandlers;

/**
 * The OpenCL half of {@link org.kernels4j.gpu.GpuInventory}: every device of every platform (GPUs, and CPU devices such
 * as PoCL's), with driver and OpenCL versions, compute units, clock, memory and fp16 support, and which one the
 * backend uses; or one entry saying why there is none.
 */
public final class OpenClInventory {
    private OpenClInventory() {
    }

    public static List<GpuDescription> describe() {
        OpenClDiscovery.Discovered discovered = OpenClDiscovery.discover();
        if (!discovered.device().availability().available()) {
            return List.of(GpuDescription.none(OpenClBackendProvider.NAME, discovered.device().availability().reason()));
        }
        try {
            List<GpuDescription> devices = SignalHandlers.preserving(() -> OpenClPlatformQuery.describeAll(discovered.chosen()));
            return devices.isEmpty() ? List.of(GpuDescription.none(OpenClBackendProvider.NAME, OpenClDiscovery.NO_PLATFORM)) : devices;
        } catch (OpenClPlatformQuery.CallFailed e) {
            return List.of(GpuDescription.none(OpenClBackendProvider.NAME, e.getMessage()));
        } catch (LinkageError | IllegalCallerException e) {
            return List.of(GpuDescription.none(OpenClBackendProvider.NAME, "JOCL's native library did not load: " + e));
        }
    }
}
