package org.kernels4j;

import java.util.Objects;
import java.util.Set;

/**
 * What a backend runs on, as listed by {@link Kernels#devices()}.
 *
 * @param backend      backend name ("vector-cpu", "reference", "cuda", ...)
 * @param name         device name ("AMD EPYC 9R14, 2 threads, 256-bit vectors", "NVIDIA H100 80GB HBM3", ...)
 * @param kind         CPU or GPU
 * @param dtypes       input dtypes the backend's GEMM accepts
 * @param availability available, or the reason it is not
 */
public record Device(String backend, String name, Kind kind, Set<DType> dtypes, Availability availability) {
    public enum Kind { CPU, GPU }

    public Device {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        dtypes = Set.copyOf(dtypes);
        Objects.requireNonNull(availability, "availability");
    }
}
