package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a results file says about where it was measured, so that runs on different machines can be
 * compared: CPU model, logical processors, OS, JVM.
 *
 * @param cpu        model name (from /proc/cpuinfo on Linux, else the architecture)
 * @param processors logical processors the JVM sees
 * @param os         name, version and architecture
 * @param java       runtime version and vendor
 * @param measuredAt when the run started
 */
record MachineInfo(String cpu, int processors, String os, String java, Instant measuredAt) {
    static MachineInfo current() {
        return new MachineInfo(cpuModel().orElse(System.getProperty("os.arch")),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                Instant.now());
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: the architecture will have to do.
            return Optional.empty();
        }
    }

    String summary() {
        return cpu + ", " + processors + " logical processors; " + os + "; Java " + java;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cpu", cpu);
        json.put("processors", processors);
        json.put("os", os);
        json.put("java", java);
        json.put("measuredAt", measuredAt.toString());
        return json;
    }
}
