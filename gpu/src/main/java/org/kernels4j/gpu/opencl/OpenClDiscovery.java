package org.kernels4j.gpu.opencl;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.gpu.SharedLibraries;
import org.kernels4j.gpu.SignalHandlers;

/**
 * Finds out whether OpenCL can run here and on which device: the ICD loader (libOpenCL.so.1), a
 * platform (an installed ICD), then a device: the one {@value #DEVICE_VARIABLE} names, else GPUs before
 * CPUs. Never throws: every failure becomes the reason of an unavailable {@link Device}.
 */
final class OpenClDiscovery {
    static final String NO_PLATFORM = "no OpenCL platform (install an ICD, e.g. pocl-opencl-icd)";
    /** Chooses the device: {@code PLATFORM:DEVICE} indices (e.g. {@code 1:0}), or part of its "platform / device" name. */
    static final String DEVICE_VARIABLE = "K4J_OPENCL_DEVICE";
    /** The GEMM input dtypes of {@link OpenClBackend}. */
    static final Set<DType> GEMM_DTYPES = EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8);
    private static final String NO_DEVICE_NAME = "(no device)";

    /**
     * What discovery found: the device as listed and, when it is available, the OpenCL device behind it.
     *
     * @param device the listed device, available or with the reason it is not
     * @param chosen present exactly when {@code device} is available
     */
    record Discovered(Device device, Optional<OpenClDeviceInfo> chosen) {
        Discovered {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(chosen, "chosen");
            if (chosen.isPresent() != device.availability().available()) {
                throw new IllegalArgumentException("chosen: " + chosen + " but the device is " + device.availability());
            }
        }
    }

    private OpenClDiscovery() {
    }

    static Discovered discover() {
        Availability loader = SharedLibraries.probe("libOpenCL.so.1",
                "ICD loader not installed; install ocl-icd-libopencl1 and an ICD, e.g. pocl-opencl-icd");
        if (!loader.available()) {
            return unavailable(loader);
        }
        OpenClPlatformQuery.Result answer;
        try {
            answer = SignalHandlers.preserving(OpenClPlatformQuery::devices);
        } catch (LinkageError | IllegalCallerException e) {
            return unavailable(Availability.no("JOCL's native library did not load: " + e));
        } catch (RuntimeException e) {
            // The provider's priority() depends on this and Kernels.open() does not guard it.
            return unavailable(Availability.no("OpenCL discovery failed: " + e));
        }
        return switch (answer) {
            case OpenClPlatformQuery.Result.Failed(String reason) -> unavailable(Availability.no(reason));
            case OpenClPlatformQuery.Result.Found(List<OpenClDeviceInfo> devices) -> {
                String choice = System.getenv(DEVICE_VARIABLE);
                Optional<OpenClDeviceInfo> selected = select(devices, choice);
                if (selected.isEmpty()) {
                    yield unavailable(Availability.no(noMatch(devices, choice)));
                }
                OpenClDeviceInfo chosen = selected.get();
                Device device = new Device(OpenClBackendProvider.NAME, chosen.description(),
                        chosen.gpu() ? Device.Kind.GPU : Device.Kind.CPU, GEMM_DTYPES, Availability.yes());
                yield new Discovered(device, Optional.of(chosen));
            }
        };
    }

    /** The device a backend uses by default: the first GPU, else the first device of any kind. */
    static Optional<OpenClDeviceInfo> preferred(List<OpenClDeviceInfo> devices) {
        Objects.requireNonNull(devices, "devices");
        return devices.stream().filter(OpenClDeviceInfo::gpu).findFirst().or(() -> devices.stream().findFirst());
    }

    /**
     * The device {@code choice} names ({@code PLATFORM:DEVICE} indices, or a case-insensitive part of the
     * "platform / device" name, the first match winning), or {@link #preferred} when {@code choice} is null or blank.
     */
    static Optional<OpenClDeviceInfo> select(List<OpenClDeviceInfo> devices, String choice) {
        Objects.requireNonNull(devices, "devices");
        if (choice == null || choice.isBlank()) {
            return preferred(devices);
        }
        String wanted = choice.strip();
        String lowerCase = wanted.toLowerCase(Locale.ROOT);
        return devices.stream()
                .filter(d -> wanted.equals(indices(d)) || (d.platformName() + " / " + d.deviceName()).toLowerCase(Locale.ROOT).contains(lowerCase))
                .findFirst();
    }

    /** Why {@code choice} selected nothing, listing what there is. */
    static String noMatch(List<OpenClDeviceInfo> devices, String choice) {
        return DEVICE_VARIABLE + "='" + choice + "' matches no OpenCL device (have: " + devices.stream()
                .map(d -> indices(d) + " " + d.platformName() + " / " + d.deviceName()).collect(Collectors.joining(", ")) + ")";
    }

    private static String indices(OpenClDeviceInfo device) {
        return device.platformIndex() + ":" + device.deviceIndex();
    }

    private static Discovered unavailable(Availability reason) {
        Objects.requireNonNull(reason, "reason");
        return new Discovered(new Device(OpenClBackendProvider.NAME, NO_DEVICE_NAME, Device.Kind.GPU, Set.of(), reason),
                Optional.empty());
    }
}
