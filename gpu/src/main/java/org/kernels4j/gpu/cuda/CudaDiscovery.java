package org.kernels4j.gpu.cuda;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.Device;
import org.kernels4j.gpu.SharedLibraries;

/**
 * Finds out whether CUDA can run here, in the order a user fixes things: the NVIDIA driver
 * (libcuda.so.1), the driver's cuInit, a device, then a fatbin with code for that device.
 * Never throws: every failure becomes the reason of an unavailable {@link Device}.
 */
final class CudaDiscovery {
    private static final String NO_DEVICE_NAME = "(no device)";

    private CudaDiscovery() {
    }

    static Device discover() {
        Availability driver = SharedLibraries.probe("libcuda.so.1", "NVIDIA driver not installed");
        if (!driver.available()) {
            return device(NO_DEVICE_NAME, driver);
        }
        CudaDriverQuery.Result answer;
        try {
            answer = CudaDriverQuery.firstDevice();
        } catch (LinkageError | IllegalCallerException e) {
            return device(NO_DEVICE_NAME, Availability.no("JCuda's native library did not load: " + e));
        }
        return switch (answer) {
            case CudaDriverQuery.Result.Failed(String reason) -> device(NO_DEVICE_NAME, Availability.no(reason));
            case CudaDriverQuery.Result.Found(CudaDeviceInfo info) -> device(info.description(), fatbinFor(info));
        };
    }

    private static Availability fatbinFor(CudaDeviceInfo info) {
        Optional<Fatbin> fatbin;
        try {
            fatbin = CudaFatbin.load();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Availability.no("the CUDA fatbin is unreadable: " + e.getMessage());
        }
        if (fatbin.isEmpty()) {
            return Availability.no("built without nvcc (this build has no CUDA fatbin)");
        }
        if (!fatbin.get().runsOn(info.major(), info.minor())) {
            return Availability.no("the CUDA fatbin has no code for " + info.architecture()
                    + " (it holds " + String.join(", ", fatbin.get().targetNames()) + ")");
        }
        return Availability.yes();
    }

    private static Device device(String name, Availability availability) {
        return new Device(CudaBackendProvider.NAME, name, Device.Kind.GPU, Set.of(), availability);
    }
}
