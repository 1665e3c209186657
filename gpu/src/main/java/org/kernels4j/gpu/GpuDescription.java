package org.kernels4j.gpu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One accelerator device as its driver describes it, for reports: a CUDA device, or an OpenCL device of any type
 * (PoCL's CPU device included), or a backend's single entry saying why it found none. Immutable.
 *
 * @param backend   the backend whose driver answered: cuda or opencl
 * @param name      the device's name, or "(no device)"
 * @param kind      GPU, CPU or ACCELERATOR (OpenCL's CL_DEVICE_TYPE); GPU for CUDA
 * @param available whether the driver found the device (for the entry without a device: false)
 * @param reason    why not, when unavailable; "" otherwise
 * @param details   what the driver told, in order, as names and values meant for people ("compute capability" →
 *                  "9.0", "multiprocessors" → "132", "memory" → "79.1 GiB")
 */
public record GpuDescription(String backend, String name, String kind, boolean available, String reason, Map<String, String> details) {
    public GpuDescription {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        reason = reason == null ? "" : reason;
        if (available && !reason.isEmpty()) {
            throw new IllegalArgumentException("reason: '" + reason + "' for an available device");
        }
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
    }

    /** The entry of a backend that found no device, with the reason. */
    public static GpuDescription none(String backend, String reason) {
        return new GpuDescription(backend, "(no device)", "GPU", false, Objects.requireNonNull(reason, "reason"), Map.of());
    }

    /** "1.5 GiB": memory sizes in the details. */
    public static String gibibytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " is negative");
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
