package org.kernels4j.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the backend knows about the processor: its name (for {@link org.kernels4j.Device}) and the cache sizes
 * that GEMM blocking is derived from. Read from Linux's {@code /proc/cpuinfo} and
 * {@code /sys/devices/system/cpu/cpu0/cache}; elsewhere the name falls back to {@code os.arch} and the caches
 * to typical x86 server values.
 *
 * @param modelName the processor's model name
 * @param l2Bytes   level-2 cache of one core
 * @param l3Bytes   level-3 cache (shared), or a typical size when there is none
 */
public record CpuInfo(String modelName, long l2Bytes, long l3Bytes) {
    static final long DEFAULT_L2 = 512 * 1024;
    static final long DEFAULT_L3 = 8 * 1024 * 1024;

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    public CpuInfo {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName: must not be blank, was '" + modelName + "'");
        }
        requirePositive("l2Bytes", l2Bytes);
        requirePositive("l3Bytes", l3Bytes);
    }

    /** Reads this machine's processor description; never fails (missing files give the fallbacks). */
    public static CpuInfo detect() {
        return new CpuInfo(readModelName().orElse(System.getProperty("os.arch")),
                readCache(2, "Unified").orElse(DEFAULT_L2),
                readCache(3, "Unified").orElse(DEFAULT_L3));
    }

    private static Optional<String> readModelName() {
        try (Stream<String> lines = Files.lines(CPUINFO)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(name -> !name.isEmpty())
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> readCache(int level, String type) {
        try (Stream<Path> entries = Files.list(CACHES)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                if (readLine(index.resolve("level")).equals(Integer.toString(level))
                        && readLine(index.resolve("type")).equals(type)) {
                    return parseSize(readLine(index.resolve("size")));
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String readLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.isEmpty() ? "" : lines.getFirst().trim();
    }

    /** Parses sysfs sizes such as "32K", "1024K" or "32M". */
    static Optional<Long> parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long value = Long.parseLong(digits) * unit;
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " is not positive");
        }
    }
}
