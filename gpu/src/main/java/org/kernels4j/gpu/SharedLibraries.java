package org.kernels4j.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.Objects;
import org.kernels4j.Availability;

/**
 * Checks that a system library can be loaded before a Java binding that links it (JCuda, JOCL) is
 * touched, so that a missing driver becomes a reason instead of a class-loading error.
 */
public final class SharedLibraries {
    private SharedLibraries() {
    }

    /**
     * Whether the dynamic loader finds {@code soname}.
     *
     * @param soname      the library as the dynamic loader names it, e.g. {@code libcuda.so.1}
     * @param missingHint what the absence means to a user, appended to the reason, e.g. "NVIDIA driver not installed"
     * @return available, or "no SONAME found (HINT)", or why the JVM refused native access
     */
    public static Availability probe(String soname, String missingHint) {
        Objects.requireNonNull(soname, "soname");
        Objects.requireNonNull(missingHint, "missingHint");
        if (soname.isBlank()) {
            throw new IllegalArgumentException("soname: must not be blank");
        }
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(soname, arena);
            return Availability.yes();
        } catch (IllegalArgumentException notFound) {
            return Availability.no("no " + soname + " found (" + missingHint + ")");
        } catch (IllegalCallerException denied) {
            return Availability.no("native access to " + soname
                    + " denied (run java with --enable-native-access=ALL-UNNAMED)");
        }
    }
}
