package org.kernels4j.gpu.opencl;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kernels4j.io.AtomicFiles;

/**
 * Where a device's GEMM tiling comes from, in order: the {@value #OVERRIDE_VARIABLE} environment variable
 * ({@code tileM,tileN,tileK,groupM,groupN}, or {@value #BUILT_IN} for {@link OpenClGemmTiling#forDevice} without a
 * search); what this process already chose for the device; the file of earlier choices; else the search, whose
 * choice is kept in memory and in the file. Devices are told apart by {@link OpenClDeviceInfo#cacheKey()} (platform,
 * device and driver), so that a new driver is measured again. The file is only a shortcut: one that cannot be read
 * or written is ignored.
 *
 * <p>Thread-safe: one search per device and process, however many threads ask at once.
 */
final class OpenClGemmTilingCache {
    static final String OVERRIDE_VARIABLE = "K4J_OPENCL_GEMM_TILING";
    static final String BUILT_IN = "default";
    private static final String FILE_NAME = "opencl-gemm-tilings.properties";

    /** The process's cache: the override from the environment, the file under the user's cache directory. */
    static final OpenClGemmTilingCache SHARED = new OpenClGemmTilingCache(
            Optional.ofNullable(System.getenv(OVERRIDE_VARIABLE)), defaultFile(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home")));

    private final Optional<String> override;
    private final Optional<Path> file;
    private final Map<String, OpenClGemmTiling> chosen = new ConcurrentHashMap<>();

    /**
     * @param override the value of {@value #OVERRIDE_VARIABLE}, if set
     * @param file     where choices persist between processes, if anywhere
     */
    OpenClGemmTilingCache(Optional<String> override, Optional<Path> file) {
        this.override = Objects.requireNonNull(override, "override");
        this.file = Objects.requireNonNull(file, "file");
    }

    /** {@code $XDG_CACHE_HOME/kernels4j/FILE}, else {@code ~/.cache/kernels4j/FILE}; empty without either. */
    static Optional<Path> defaultFile(String xdgCacheHome, String userHome) {
        if (xdgCacheHome != null && !xdgCacheHome.isBlank()) {
            return Optional.of(Path.of(xdgCacheHome, "kernels4j", FILE_NAME));
        }
        if (userHome != null && !userHome.isBlank()) {
            return Optional.of(Path.of(userHome, ".cache", "kernels4j", FILE_NAME));
        }
        return Optional.empty();
    }

    /**
     * The tiling for {@code device}, running {@code search} only when neither the override, this process nor the file
     * has one.
     *
     * @throws IllegalArgumentException naming {@value #OVERRIDE_VARIABLE} when its value is not a tiling
     */
    OpenClGemmTiling resolve(OpenClDeviceInfo device, Supplier<OpenClGemmTiling> search) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(search, "search");
        if (override.isPresent()) {
            String value = override.get().strip();
            return value.equals(BUILT_IN) ? OpenClGemmTiling.forDevice(device) : OpenClGemmTiling.parse(OVERRIDE_VARIABLE, value);
        }
        return chosen.computeIfAbsent(device.cacheKey(), key -> stored(key).orElseGet(() -> {
            OpenClGemmTiling found = search.get();
            store(key, found);
            return found;
        }));
    }

    private Optional<OpenClGemmTiling> stored(String key) {
        String value = load().getProperty(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OpenClGemmTiling.parse(key, value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Properties load() {
        Properties properties = new Properties();
        if (file.isPresent() && Files.isRegularFile(file.get())) {
            try (Reader reader = Files.newBufferedReader(file.get())) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties();
            }
        }
        return properties;
    }

    private void store(String key, OpenClGemmTiling tiling) {
        if (file.isEmpty()) {
            return;
        }
        Properties properties = load();
        properties.setProperty(key, tiling.format());
        try {
            Files.createDirectories(file.get().getParent());
            StringWriter text = new StringWriter();
            properties.store(text, "kernels4j: GEMM tilings measured per OpenCL device (tileM,tileN,tileK,groupM,groupN)");
            AtomicFiles.writeString(file.get(), text.toString());
        } catch (IOException e) {
            // A cache that cannot be written only means measuring again in the next process.
        }
    }
}
