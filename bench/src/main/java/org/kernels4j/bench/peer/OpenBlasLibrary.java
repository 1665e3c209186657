package org.kernels4j.bench.peer;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.kernels4j.spi.NativeLibraryCandidates;

/**
 * Finds OpenBLAS and binds the entry points the peer calls, once per process. Never throws: when no
 * library is found, or the one found is not OpenBLAS, {@link #load()} says why.
 *
 * <p>Search order: the file named by the environment variable {@code K4J_OPENBLAS}; then
 * {@code libopenblas.so.0} and {@code libopenblas.so} (System.mapLibraryName) through the dynamic
 * linker's own search (LD_LIBRARY_PATH, ld.so.cache); then the Debian/Ubuntu multiarch and usual
 * distribution paths, including versioned {@code libopenblasp-r*.so} builds; last {@code libblas.so.3},
 * accepted only when it is OpenBLAS (exports {@code openblas_get_config}).
 *
 * <p>The library stays loaded for the life of the process (global arena): unloading OpenBLAS while its
 * worker threads are alive is unsafe, and the peer is cheap to keep.
 */
// Binding a native library is this class's whole job; the launcher grants it --enable-native-access.
@SuppressWarnings("restricted")
final class OpenBlasLibrary {
    static final String PATH_VARIABLE = "K4J_OPENBLAS";

    /** CBLAS enum values (cblas.h). */
    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor GEMM = FunctionDescriptor.ofVoid(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);

    /**
     * The bound entry points.
     *
     * @param location   where the library was found
     * @param config     {@code openblas_get_config()}: version, build options, core type
     * @param sgemm      {@code cblas_sgemm}
     * @param sbgemm     {@code cblas_sbgemm} (BF16 inputs, FP32 output), absent in builds without BF16
     * @param setThreads {@code openblas_set_num_threads}
     */
    record Bindings(String location, String config, MethodHandle sgemm, Optional<MethodHandle> sbgemm, MethodHandle setThreads) {
    }

    /** Either the bindings or why there are none. */
    record Loaded(Optional<Bindings> bindings, String reason) {
    }

    private static final class Holder {
        static final Loaded LOADED = locateAndBind();
    }

    private OpenBlasLibrary() {
    }

    static Loaded load() {
        return Holder.LOADED;
    }

    private static Loaded locateAndBind() {
        NativeLibraryCandidates.Found<Bindings> found = NativeLibraryCandidates.firstThatBinds(candidates(),
                List.of("openblas_get_config", "cblas_sgemm", "openblas_set_num_threads"), "not OpenBLAS",
                OpenBlasLibrary::bind);
        return new Loaded(found.library(), found.library().isPresent() ? ""
                : "no OpenBLAS library found (install libopenblas0-pthread, or set " + PATH_VARIABLE
                        + " to its path; tried " + found.tried() + ")");
    }

    private static Bindings bind(String location, SymbolLookup lookup) throws Throwable {
        MethodHandle getConfig = LINKER.downcallHandle(lookup.findOrThrow("openblas_get_config"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        MemorySegment configString = (MemorySegment) getConfig.invokeExact();
        String config = configString.reinterpret(4096).getString(0).strip();
        return new Bindings(location, config,
                LINKER.downcallHandle(lookup.findOrThrow("cblas_sgemm"), GEMM),
                lookup.find("cblas_sbgemm").map(symbol -> LINKER.downcallHandle(symbol, GEMM)),
                LINKER.downcallHandle(lookup.findOrThrow("openblas_set_num_threads"),
                        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)));
    }

    /** Library names and paths to try, in order (see the class comment). */
    static List<String> candidates() {
        List<String> candidates = new ArrayList<>();
        candidates.add(System.mapLibraryName("openblas") + ".0");
        candidates.add(System.mapLibraryName("openblas"));
        String multiarch = multiarchTriplet();
        for (String directory : List.of("/usr/lib/" + multiarch, "/usr/lib/" + multiarch + "/openblas-pthread",
                "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/OpenBLAS/lib")) {
            candidates.add(directory + "/libopenblas.so.0");
            candidates.addAll(versionedBuilds(Path.of(directory)));
        }
        candidates.add("libblas.so.3");
        return NativeLibraryCandidates.withOverride(PATH_VARIABLE, candidates);
    }

    private static List<String> versionedBuilds(Path directory) {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "libopenblas*-r*.so")) {
                files.forEach(file -> found.add(file.toString()));
            } catch (IOException e) {
                // An unreadable directory is one fewer place to look, not a reason to stop looking.
                return List.of();
            }
        }
        return found.stream().sorted().toList();
    }

    private static String multiarchTriplet() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> arch + "-linux-gnu";
        };
    }
}
