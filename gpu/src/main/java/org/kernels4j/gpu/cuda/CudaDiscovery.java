package org.kernels4j.gpu.cuda;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.gpu.SharedLibraries;

/**
 * Finds out whether CUDA can run here, in the order a user fixes things: the NVIDIA driver
 * (libcuda.so.1), the driver's cuInit, a device, then a fatbin with code for that device.
 * Never throws: every failure becomes the reason of an unavailable {@link Device}.
 * Links JCuda only through {@link CudaDriverQuery}, after libcuda.so.1 was found.
 */
final class CudaDiscovery {
    private static final String NO_DEVICE_NAME = "(no device)";
    /** The input dtypes every CUDA kernel family of this build takes. */
    static final Set<DType> DTYPES = Set.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8);

    /**
     * What discovery found: the device as listed, and the driver's description of it when it is available.
     *
     * @param device the device, available or with the reason it is not
     * @param info   the driver's description; present exactly when the device is available
     */
    record Discovered(Device device, Optional<CudaDeviceInfo> info) {
        Discovered {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(info, "info");
            if (info.isPresent() != device.availability().available()) {
                throw new IllegalArgumentException("info: " + info + " must be present exactly when the device is available");
            }
        }
    }

    private CudaDiscovery() {
    }

    static Discovered discover() {
        Availability driver = SharedLibraries.probe("libcuda.so.1", "NVIDIA driver not installed");
        if (!driver.available()) {
            return unavailable(NO_DEVICE_NAME, driver);
        }
        CudaDriverQuery.Result answer;
        try {
            answer = CudaDriverQuery.firstDevice();
        } catch (LinkageError | IllegalCallerException e) {
            return unavailable(NO_DEVICE_NAME, Availability.no("JCuda's native library did not load: " + e));
        }
        return switch (answer) {
            case CudaDriverQuery.Result.Failed(String reason) -> unavailable(NO_DEVICE_NAME, Availability.no(reason));
            case CudaDriverQuery.Result.Found(CudaDeviceInfo info) -> {
                Availability runnable = fatbinFor(info);
                yield runnable.available()
                        ? new Discovered(new Device(CudaBackendProvider.NAME, info.description(), Device.Kind.GPU, DTYPES, runnable),
                                Optional.of(info))
                        : unavailable(info.description(), runnable);
            }
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

    private static Discovered unavailable(String name, Availability availability) {
        return new Discovered(new Device(CudaBackendProvider.NAME, name, Device.Kind.GPU, Set.of(), availability),
                Optional.empty());
    }
}
