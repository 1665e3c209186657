package org.kernels4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what Linux says about the processor: {@code /proc/cpuinfo} (model, vendor, feature flags, cores,
 * clock), {@code /sys/devices/system/cpu} (caches, maximum clock) and {@code /proc/meminfo}. Elsewhere, or
 * where a file is hidden, the fields fall back to what the JVM knows (os.arch, processor count) and to
 * "unknown" values that make no peak estimate.
 *
 * <p>The clock ({@link Cpu#ghz()}) is, in this order: cpufreq's {@code cpuinfo_max_freq} (the highest clock
 * the kernel reports, boost included), the highest {@code cpu MHz} in /proc/cpuinfo (the current clock of
 * each processor: on a virtual machine the host's nominal clock, on an idle laptop maybe a low one), or the
 * "@ 2.10GHz" of an Intel model name (the base clock).
 */
public final class CpuProbe {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path CPU0 = Path.of("/sys/devices/system/cpu/cpu0");
    private static final Pattern MODEL_GHZ = Pattern.compile("@\\s*([0-9.]+)\\s*GHz");

    /** /proc/cpuinfo flag (x86 "flags" or ARM "Features") → the name reports show, in the order they are listed. */
    private static final Map<String, String> FEATURES = features(
            "sse4_2", "SSE4.2", "avx", "AVX", "avx2", "AVX2", "fma", "FMA", "f16c", "F16C",
            "avx512f", "AVX-512F", "avx512bw", "AVX-512BW", "avx512vl", "AVX-512VL",
            "avx512_vnni", "AVX-512 VNNI", "avx512_bf16", "AVX-512 BF16", "avx512_fp16", "AVX-512 FP16",
            "avx_vnni", "AVX-VNNI", "amx_tile", "AMX-TILE", "amx_bf16", "AMX-BF16", "amx_int8", "AMX-INT8",
            "amx_fp16", "AMX-FP16", "asimd", "NEON", "asimdhp", "NEON FP16", "asimddp", "DOTPROD", "bf16", "BF16",
            "i8mm", "I8MM", "sve", "SVE", "sve2", "SVE2", "sme", "SME");

    private CpuProbe() {
    }

    /** This machine's processor. */
    public static Cpu detect() {
        String architecture = System.getProperty("os.arch");
        int processors = Runtime.getRuntime().availableProcessors();
        String cpuinfo = read(CPUINFO).orElse("");
        Optional<Double> maxGhz = read(CPU0.resolve("cpufreq/cpuinfo_max_freq"))
                .flatMap(CpuProbe::parseDouble).map(khz -> khz / 1e6);
        return parse(cpuinfo, architecture, processors, maxGhz, caches(CPU0.resolve("cache")));
    }

    /** Physical memory from /proc/meminfo's MemTotal; 0 when unknown. */
    public static long memoryBytes() {
        return read(MEMINFO).flatMap(text -> text.lines().filter(line -> line.startsWith("MemTotal:")).findFirst())
                .map(line -> line.replaceAll("[^0-9]", ""))
                .flatMap(CpuProbe::parseDouble)
                .map(kib -> (long) (kib * 1024))
                .orElse(0L);
    }

    /**
     * A processor from the text of /proc/cpuinfo.
     *
     * @param cpuinfo      the file's text ("" when absent)
     * @param architecture os.arch
     * @param processors   logical processors the JVM may use
     * @param maxGhz       cpufreq's maximum clock, when the kernel reports one
     * @param caches       the first processor's caches
     */
    static Cpu parse(String cpuinfo, String architecture, int processors, Optional<Double> maxGhz, List<Cpu.Cache> caches) {
        Map<String, String> first = new LinkedHashMap<>();
        Set<String> cores = new HashSet<>();
        String physicalId = "";
        double highestMhz = 0;
        for (String line : cpuinfo.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            first.putIfAbsent(key, value);
            switch (key) {
                case "physical id" -> physicalId = value;
                case "core id" -> cores.add(physicalId + "/" + value);
                case "cpu MHz" -> highestMhz = Math.max(highestMhz, parseDouble(value).orElse(0.0));
                default -> { }
            }
        }
        String model = first.getOrDefault("model name", first.getOrDefault("Model", first.getOrDefault("CPU part", architecture)));
        String vendor = first.getOrDefault("vendor_id", first.getOrDefault("CPU implementer", ""));
        Set<String> flags = Set.of(first.getOrDefault("flags", first.getOrDefault("Features", "")).split("\\s+"));
        List<String> features = FEATURES.entrySet().stream().filter(e -> flags.contains(e.getKey())).map(Map.Entry::getValue).toList();
        int physicalCores = cores.isEmpty() ? processors : Math.min(processors, cores.size());

        double ghz = 0;
        String ghzSource = "unknown: no cpufreq, cpu MHz or clock in the model name";
        Matcher modelGhz = MODEL_GHZ.matcher(model);
        if (maxGhz.isPresent() && maxGhz.get() > 0) {
            ghz = maxGhz.get();
            ghzSource = "cpufreq cpuinfo_max_freq (highest clock, boost included)";
        } else if (highestMhz > 0) {
            ghz = highestMhz / 1000;
            ghzSource = "cpu MHz in /proc/cpuinfo (current clock; a virtual machine shows the host's nominal clock)";
        } else if (modelGhz.find()) {
            ghz = Double.parseDouble(modelGhz.group(1));
            ghzSource = "the model name's base clock";
        }
        int family = parseDouble(first.getOrDefault("cpu family", "0")).map(Double::intValue).orElse(0);
        return new Cpu(model, vendor, family, architecture, processors, Math.max(1, physicalCores), ghz, ghzSource,
                vectorBits(features), features, caches);
    }

    private static int vectorBits(List<String> features) {
        if (features.contains("AVX-512F")) {
            return 512;
        }
        if (features.contains("AVX2") || features.contains("AVX")) {
            return 256;
        }
        return features.contains("SSE4.2") || features.contains("NEON") ? 128 : 0;
    }

    static List<Cpu.Cache> caches(Path directory) {
        List<Cpu.Cache> caches = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                Optional<Integer> level = read(index.resolve("level")).flatMap(CpuProbe::parseDouble).map(Double::intValue);
                Optional<String> type = read(index.resolve("type"));
                Optional<Long> size = read(index.resolve("size")).flatMap(CpuProbe::parseSize);
                int sharedBy = read(index.resolve("shared_cpu_list")).map(CpuProbe::countProcessors).orElse(1);
                if (level.isPresent() && type.isPresent() && size.isPresent()) {
                    caches.add(new Cpu.Cache(level.get(), type.get(), size.get(), sharedBy));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No sysfs (not Linux, or hidden in a container): the report lists no caches.
        }
        return caches;
    }

    /** Parses sysfs sizes such as "32K" or "32768K". */
    static Optional<Long> parseSize(String text) {
        Matcher size = Pattern.compile("([0-9]+)\\s*([KMG]?)").matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!size.matches()) {
            return Optional.empty();
        }
        long unit = switch (size.group(2)) {
            case "K" -> 1024L;
            case "M" -> 1024L * 1024;
            case "G" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Optional.of(Long.parseLong(size.group(1)) * unit);
    }

    /** Counts the processors of a list such as "0-3,8,10-11". */
    static int countProcessors(String list) {
        int count = 0;
        for (String range : list.strip().split(",")) {
            String[] ends = range.split("-");
            try {
                count += ends.length == 2 ? Integer.parseInt(ends[1].strip()) - Integer.parseInt(ends[0].strip()) + 1 : 1;
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return Math.max(1, count);
    }

    private static Optional<Double> parseDouble(String text) {
        try {
            return Optional.of(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> features(String... pairs) {
        Map<String, String> features = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            features.put(pairs[i], pairs[i + 1]);
        }
        return features;
    }
}
