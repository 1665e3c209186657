package org.kernels4j.gpu.cuda;

import java.util.List;
import java.util.stream.IntStream;
import org.kernels4j.Availability;
import org.kernels4j.gpu.GpuDescription;
import org.kernels4j.gpu.SharedLibraries;

/**
 * The CUDA half of {@link org.kernels4j.gpu.GpuInventory}: every device the driver sees, with compute capability,
 * multiprocessors, clocks and memory. Device 0 carries the backend's own availability (a fatbin for its architecture);
 * the others are described but not used (the backend runs on device 0).
 */
public final class CudaInventory {
    static final String OTHER_DEVICE = "the cuda backend runs on device 0 only";

    private CudaInventory() {
    }

    public static List<GpuDescription> describe() {
        Availability driver = SharedLibraries.probe("libcuda.so.1", "NVIDIA driver not installed");
        if (!driver.available()) {
            return List.of(GpuDescription.none(CudaBackendProvider.NAME, driver.reason()));
        }
        try {
            return switch (CudaDriverQuery.describeAll()) {
                case CudaDriverQuery.Described.Failed(String reason) -> List.of(GpuDescription.none(CudaBackendProvider.NAME, reason));
                case CudaDriverQuery.Described.Found(List<GpuDescription> devices) -> withBackendAvailability(devices);
            };
        } catch (LinkageError | IllegalCallerException e) {
            return List.of(GpuDescription.none(CudaBackendProvider.NAME, "JCuda's native library did not load: " + e));
        }
    }

    private static List<GpuDescription> withBackendAvailability(List<GpuDescription> devices) {
        Availability backend = CudaDiscovery.discover().device().availability();
        return IntStream.range(0, devices.size()).mapToObj(i -> {
            GpuDescription device = devices.get(i);
            Availability availability = i == 0 ? backend : Availability.no(OTHER_DEVICE);
            return new GpuDescription(device.backend(), device.name(), device.kind(), availability.available(),
                    availability.available() ? "" : availability.reason(), device.details());
        }).toList();
    }
}
