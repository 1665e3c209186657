package org.kernels4j.report;

import java.util.List;

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

    /** "AMD EPYC 9R14, 2 cores (2 logical processors), AVX-512; 24 GiB; Linux ...; Java 25". */
    public String summary() {
        return cpu.summary() + "; " + (memoryBytes > 0 ? Units.bytes(memoryBytes) + " memory; " : "") + os + "; Java " + jdk
                + (gpus.isEmpty() ? "; no GPU" : "; " + gpus.size() + (gpus.size() == 1 ? " GPU" : " GPUs"));
    }

    /**
     * A GPU as a backend reported it.
     *
     * @param backend   the backend that found it (cuda, opencl)
     * @param name      its name and whatever the backend tells about it (architecture, SMs, memory)
     * @param available whether that backend can run on it
     * @param reason    why not, when unavailable; "" otherwise
     */
    public record Gpu(String backend, String name, boolean available, String reason) {
        public Gpu {
            Fields.text("backend", backend);
            Fields.text("name", name);
            reason = reason == null ? "" : reason;
        }
    }
}
