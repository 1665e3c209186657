package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVIDIA's own reading of the fatbin, where the toolkit has cuobjdump (the pip-packaged nvcc has
 * not): the architectures and the kernel symbols must match what the Java side expects.
 */
class CuobjdumpTest {
    private static final Pattern TARGET = Pattern.compile("\\b(sm_\\d+a?)\\.(cubin|ptx)\\b");
    private static final Pattern ARCH_LINE = Pattern.compile("^arch = (sm_\\d+a?)\\s*$");
    private static final Pattern KERNEL = Pattern.compile("\\bk4j_\\w+");

    @Test
    void listsEveryKernelForEveryArchitecture(@TempDir Path dir) throws IOException, InterruptedException {
        Optional<Path> cuobjdump = cuobjdump();
        assumeTrue(cuobjdump.isPresent(), "no cuobjdump in CUDA_HOME/bin, /usr/local/cuda/bin or PATH");
        Optional<Fatbin> fatbin = CudaFatbin.load();
        assumeTrue(fatbin.isPresent(), "built without nvcc");
        Path file = dir.resolve("kernels4j.fatbin");
        try (var in = CudaFatbin.class.getResourceAsStream(CudaFatbin.RESOURCE)) {
            Files.copy(in, file);
        }

        List<String> listed = new ArrayList<>();
        Matcher target = TARGET.matcher(run(cuobjdump.get(), "--list-elf", "--list-ptx", file.toString()));
        while (target.find()) {
            listed.add(target.group(2).equals("ptx") ? target.group(1).replace("sm_", "compute_") : target.group(1));
        }
        assertEquals(Set.copyOf(FatbinContentsTest.TARGETS), Set.copyOf(listed), "cuobjdump --list-elf --list-ptx");

        Map<String, Set<String>> kernelsByArch = new LinkedHashMap<>();
        Set<String> current = null;
        for (String line : run(cuobjdump.get(), "-symbols", file.toString()).split("\n")) {
            Matcher arch = ARCH_LINE.matcher(line.strip());
            if (arch.matches()) {
                current = kernelsByArch.computeIfAbsent(arch.group(1), a -> new LinkedHashSet<>());
            } else if (current != null && line.contains("STO_ENTRY")) {
                Matcher kernel = KERNEL.matcher(line);
                while (kernel.find()) {
                    current.add(kernel.group());
                }
            }
        }
        kernelsByArch.values().removeIf(Set::isEmpty);
        assertEquals(Set.of("sm_80", "sm_89", "sm_90a"), kernelsByArch.keySet(), "cuobjdump -symbols");
        kernelsByArch.forEach((arch, kernels) -> assertTrue(kernels.containsAll(CudaKernelNames.all()),
                arch + " lacks kernels; has " + kernels));
    }

    private static Optional<Path> cuobjdump() {
        List<String> dirs = new ArrayList<>();
        if (System.getenv("CUDA_HOME") != null) {
            dirs.add(System.getenv("CUDA_HOME") + "/bin");
        }
        dirs.add("/usr/local/cuda/bin");
        dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "cuobjdump"))
                .filter(Files::isExecutable).findFirst();
    }

    private static String run(Path tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "cuobjdump finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
