package org.kernels4j.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a run measured.
 *
 * @param cpu         the processor
 * @param memoryBytes physical memory (MemTotal), 0 when unknown
 * @param os          name, version and architecture
 * @param jdk         Java runtime version and vendor
 * @param gpus        the GPUs the backends found (available or not)
 */
public record Machine(Cpu cpu, long memoryBytes, String os, String jdk, List<Gpu> gpus) {
    public Machine {
        Fields.required("cpu", cpu);
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes: " + memoryBytes + " is negative");
        }
        Fields.text("os", os);
        Fields.text("jdk", jdk);
        gpus = Fields.list(gpus);
    }

    /** "AMD EPYC 9R14, 2 cores (2 logical processors), AVX-512; 24 GiB; Linux ...; Java 25; no GPU". */
    public String summary() {
        long usable = gpus.stream().filter(g -> g.kind().equals(Gpu.GPU) && g.available()).count();
        return cpu.summary() + "; " + (memoryBytes > 0 ? Units.bytes(memoryBytes) + " memory; " : "") + os + "; Java " + jdk
                + (usable == 0 ? "; no GPU" : "; " + usable + (usable == 1 ? " GPU" : " GPUs"));
    }

    /**
     * An accelerator device as its driver described it (a CUDA device, an OpenCL device of any type), or a backend's
     * entry without a device, saying why.
     *
     * @param backend   the backend whose driver answered (cuda, opencl)
     * @param name      the device's name, or "(no device)"
     * @param available whether the device was found and the backend can use it
     * @param reason    why not, when unavailable; "" otherwise
     * @param kind      GPU, CPU (OpenCL on the CPU, e.g. PoCL) or ACCELERATOR; GPU when absent (files before it was added)
     * @param details   what the driver told (compute capability, multiprocessors, clocks, memory; driver, compute units,
     *                  fp16), names and values meant for people; empty when absent
     */
    public record Gpu(String backend, String name, boolean available, String reason, String kind, Map<String, String> details) {
        public static final String GPU = "GPU";

        public Gpu {
            Fields.text("backend", backend);
            Fields.text("name", name);
            reason = reason == null ? "" : reason;
            kind = kind == null || kind.isEmpty() ? GPU : kind;
            details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        /** A GPU with nothing but its name. */
        public Gpu(String backend, String name, boolean available, String reason) {
            this(backend, name, available, reason, GPU, Map.of());
        }
    }
}
