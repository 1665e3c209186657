package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the GEMM tiling comes from: override, this process, the file, then the search. */
class OpenClGemmTilingCacheTest {
    private static final OpenClDeviceInfo DEVICE = new OpenClDeviceInfo(0, 0, "Portable Computing Language", "cpu", false, 2, 1L << 30, false, "6.0");
    private static final OpenClDeviceInfo NEW_DRIVER = new OpenClDeviceInfo(0, 0, "Portable Computing Language", "cpu", false, 2, 1L << 30, false, "7.0");
    private static final OpenClGemmTiling FOUND = new OpenClGemmTiling(32, 64, 16, 4, 8);
    private static final Supplier<OpenClGemmTiling> NO_SEARCH = () -> {
        throw new AssertionError("searched although the tiling was known");
    };

    @TempDir
    Path folder;

    @Test
    void searchesOncePerDeviceAndProcess() {
        AtomicInteger searches = new AtomicInteger();
        OpenClGemmTilingCache cache = new OpenClGemmTilingCache(Optional.empty(), Optional.empty());
        Supplier<OpenClGemmTiling> search = () -> {
            searches.incrementAndGet();
            return FOUND;
        };
        assertEquals(FOUND, cache.resolve(DEVICE, search));
        assertEquals(FOUND, cache.resolve(DEVICE, search));
        assertEquals(1, searches.get());
        cache.resolve(NEW_DRIVER, search);
        assertEquals(2, searches.get(), "another driver is another device");
    }

    @Test
    void remembersTheChoiceInTheFileForTheNextProcess() throws IOException {
        Path file = folder.resolve("kernels4j").resolve("tilings.properties");
        assertEquals(FOUND, new OpenClGemmTilingCache(Optional.empty(), Optional.of(file)).resolve(DEVICE, () -> FOUND));
        assertTrue(Files.readString(file).contains("32,64,16,4,8"), Files.readString(file));
        assertEquals(FOUND, new OpenClGemmTilingCache(Optional.empty(), Optional.of(file)).resolve(DEVICE, NO_SEARCH));

        OpenClGemmTiling other = new OpenClGemmTiling(64, 64, 32, 8, 8);
        new OpenClGemmTilingCache(Optional.empty(), Optional.of(file)).resolve(NEW_DRIVER, () -> other);
        OpenClGemmTilingCache next = new OpenClGemmTilingCache(Optional.empty(), Optional.of(file));
        assertEquals(FOUND, next.resolve(DEVICE, NO_SEARCH), "both devices' choices are kept");
        assertEquals(other, next.resolve(NEW_DRIVER, NO_SEARCH));
    }

    @Test
    void aDamagedOrUnwritableFileOnlyMeansSearchingAgain() throws IOException {
        Path damaged = folder.resolve("damaged.properties");
        Files.writeString(damaged, DEVICE.cacheKey().replace(" ", "\\ ") + " = 64,64\n\\u00zz");
        assertEquals(FOUND, new OpenClGemmTilingCache(Optional.empty(), Optional.of(damaged)).resolve(DEVICE, () -> FOUND));

        Path underAFile = folder.resolve("damaged.properties").resolve("tilings.properties");
        assertEquals(FOUND, new OpenClGemmTilingCache(Optional.empty(), Optional.of(underAFile)).resolve(DEVICE, () -> FOUND));
    }

    @Test
    void theOverrideWinsWithoutSearching() {
        assertEquals(FOUND, new OpenClGemmTilingCache(Optional.of(" 32,64,16,4,8 "), Optional.empty()).resolve(DEVICE, NO_SEARCH));
        assertEquals(OpenClGemmTiling.forDevice(DEVICE),
                new OpenClGemmTilingCache(Optional.of("default"), Optional.empty()).resolve(DEVICE, NO_SEARCH));
    }

    @Test
    void aBadOverrideIsNamed() {
        OpenClGemmTilingCache notFive = new OpenClGemmTilingCache(Optional.of("64,64,16"), Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> notFive.resolve(DEVICE, NO_SEARCH));
        assertEquals("K4J_OPENCL_GEMM_TILING: '64,64,16' is not tileM,tileN,tileK,groupM,groupN (e.g. 64,64,16,8,8)", e.getMessage());
        OpenClGemmTilingCache notAMultiple = new OpenClGemmTilingCache(Optional.of("30,64,16,16,16"), Optional.empty());
        e = assertThrows(IllegalArgumentException.class, () -> notAMultiple.resolve(DEVICE, NO_SEARCH));
        assertTrue(e.getMessage().startsWith("K4J_OPENCL_GEMM_TILING: '30,64,16,16,16' is not a valid tiling: tileM, tileN"), e.getMessage());
        OpenClGemmTilingCache notANumber = new OpenClGemmTilingCache(Optional.of("64,64,x,8,8"), Optional.empty());
        e = assertThrows(IllegalArgumentException.class, () -> notANumber.resolve(DEVICE, NO_SEARCH));
        assertTrue(e.getMessage().startsWith("K4J_OPENCL_GEMM_TILING: '64,64,x,8,8' is not a valid tiling"), e.getMessage());
    }

    @Test
    void theFileLivesUnderTheUsersCacheDirectory() {
        assertEquals(Optional.of(Path.of("/xdg/kernels4j/opencl-gemm-tilings.properties")),
                OpenClGemmTilingCache.defaultFile("/xdg", "/home/me"));
        assertEquals(Optional.of(Path.of("/home/me/.cache/kernels4j/opencl-gemm-tilings.properties")),
                OpenClGemmTilingCache.defaultFile("", "/home/me"));
        assertEquals(Optional.empty(), OpenClGemmTilingCache.defaultFile(null, null));
    }

    @Test
    void roundTripsItsTextForm() {
        assertEquals(FOUND, OpenClGemmTiling.parse("test", FOUND.format()));
    }
}
