package org.kernels4j.gpu.opencl;

import java.util.Locale;
import java.util.Objects;

/**
 * What an OpenCL platform says about one of its devices.
 *
 * @param platformIndex index of the platform in clGetPlatformIDs order
 * @param deviceIndex   index of the device within its platform, in clGetDeviceIDs order
 * @param platformName  e.g. "Portable Computing Language"
 * @param deviceName    e.g. "cpu-haswell-AMD EPYC 9R14"
 * @param gpu           whether the device reports CL_DEVICE_TYPE_GPU
 * @param computeUnits  CL_DEVICE_MAX_COMPUTE_UNITS
 * @param memoryBytes   CL_DEVICE_GLOBAL_MEM_SIZE
 * @param fp16          whether the device has the cl_khr_fp16 extension (half arithmetic)
 * @param driverVersion CL_DRIVER_VERSION, e.g. "6.0+debian"
 */
public record OpenClDeviceInfo(int platformIndex, int deviceIndex, String platformName, String deviceName,
                               boolean gpu, int computeUnits, long memoryBytes, boolean fp16, String driverVersion) {
    public OpenClDeviceInfo {
        Objects.requireNonNull(platformName, "platformName");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(driverVersion, "driverVersion");
        if (platformIndex < 0 || deviceIndex < 0 || computeUnits < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("platformIndex, deviceIndex, computeUnits, memoryBytes: " + platformIndex
                    + ", " + deviceIndex + ", " + computeUnits + ", " + memoryBytes + " must not be negative");
        }
    }

    /** Names this device and its driver, for caches of what was measured on them: "PLATFORM / DEVICE / DRIVER". */
    public String cacheKey() {
        return platformName + " / " + deviceName + " / " + driverVersion;
    }

    /** One line for {@code k4j devices}: "PLATFORM / DEVICE (N compute units, X GiB[, cl_khr_fp16])". */
    public String description() {
        return String.format(Locale.ROOT, "%s / %s (%d compute units, %.1f GiB%s)", platformName, deviceName,
                computeUnits, memoryBytes / (double) (1L << 30), fp16 ? ", cl_khr_fp16" : "");
    }
}
