package org.kernels4j.gpu.cuda;

import java.util.Locale;
import java.util.Objects;

/**
 * What the CUDA driver says about one device.
 *
 * @param ordinal     the driver's device index
 * @param name        the marketing name, e.g. "NVIDIA H100 80GB HBM3"
 * @param major       compute capability, major version
 * @param minor       compute capability, minor version
 * @param memoryBytes total device memory
 */
public record CudaDeviceInfo(int ordinal, String name, int major, int minor, long memoryBytes) {
    public CudaDeviceInfo {
        Objects.requireNonNull(name, "name");
        if (ordinal < 0 || major < 1 || minor < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("ordinal, major, minor, memoryBytes: " + ordinal + ", " + major
                    + ", " + minor + ", " + memoryBytes + " must be non-negative (major at least 1)");
        }
    }

    /** The device's architecture as nvcc names it, e.g. sm_90. */
    public String architecture() {
        return "sm_" + major + minor;
    }

    /** One line for {@code k4j devices}: "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)". */
    public String description() {
        return String.format(Locale.ROOT, "%s (%s, %.1f GiB)", name, architecture(), memoryBytes / (double) (1L << 30));
    }
}
