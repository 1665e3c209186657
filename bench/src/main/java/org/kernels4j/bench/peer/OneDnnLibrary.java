package org.kernels4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import org.kernels4j.spi.NativeLibraryCandidates;

/**
 * Finds oneDNN 2.x ({@code libdnnl.so.2}) and binds the C API entry points the convolution peer calls, once per
 * process. Never throws: when no library is found, or the one found is not oneDNN 2.x, {@link #load()} says why.
 *
 * <p>oneDNN 2.x is bound, not 3.x: Debian and Ubuntu ship 2.x ({@code libdnnl2}), and its C API differs from 3.x's
 * (operation descriptors are structs that the caller allocates and {@code dnnl_*_desc_init} fills). Search order: the
 * file named by the environment variable {@code K4J_ONEDNN}, then {@code libdnnl.so.2} through the dynamic linker's
 * own search. oneDNN's CPU runtime here is OpenMP, whose thread count is per calling thread: {@code omp_set_num_threads}
 * is bound from {@code libgomp.so.1} (the runtime Debian's build links) and called before each execution.
 *
 * <p>The library stays loaded for the life of the process (global arena), as OpenBLAS does: its OpenMP workers
 * outlive any call.
 */
// Binding a native library is this class's whole job; the launcher grants it --enable-native-access.
@SuppressWarnings("restricted")
final class OneDnnLibrary {
    static final String PATH_VARIABLE = "K4J_ONEDNN";

    /** dnnl_status_t values (dnnl_types.h). */
    static final int SUCCESS = 0;
    static final int UNIMPLEMENTED = 3;

    /** dnnl_data_type_t values. */
    static final int F16 = 1;
    static final int BF16 = 2;
    static final int F32 = 3;
    static final int S32 = 4;
    static final int S8 = 5;

    /** dnnl_format_tag_t values. */
    static final int TAG_ANY = 1;
    static final int TAG_X = 2;
    static final int TAG_NCHW = 5;
    static final int TAG_GOIHW = 7;
    static final int TAG_GOHWI = 16;
    static final int TAG_NHWC = 20;

    /** Other enum values: engine kind, stream flags, propagation kind, algorithm, queries, execution arguments. */
    static final int ENGINE_CPU = 1;
    static final int STREAM_DEFAULT_FLAGS = 1;
    static final int FORWARD_INFERENCE = 96;
    static final int CONVOLUTION_DIRECT = 1;
    static final int QUERY_IMPL_INFO_STR = 8;
    static final int QUERY_WEIGHTS_MD = 131;
    static final int ARG_SRC = 1;
    static final int ARG_DST = 17;
    static final int ARG_WEIGHTS = 33;
    static final int ARG_BIAS = 41;
    static final int ARG_FROM = 1;
    static final int ARG_TO = 17;

    /**
     * Bytes reserved for a {@code dnnl_memory_desc_t} and a {@code dnnl_convolution_desc_t}: in oneDNN 2.6 on x86-64
     * they take 696 and 5976 bytes (sizeof); the library only writes within sizeof, so room to spare is harmless.
     */
    static final long MEMORY_DESC_BYTES = 2048;
    static final long CONVOLUTION_DESC_BYTES = 16384;

    /** {@code dnnl_exec_arg_t}: an int argument index and a memory handle. */
    static final MemoryLayout EXEC_ARG = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("arg"),
            MemoryLayout.paddingLayout(4), ValueLayout.ADDRESS.withName("memory"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    /**
     * The bound entry points, each named after its C function without the {@code dnnl_} prefix.
     *
     * @param location where the library was found
     * @param version  "2.6.3"
     * @param ompSetNumThreads {@code omp_set_num_threads}, absent when libgomp was not found (oneDNN then uses
     *                         OpenMP's default, all processors)
     */
    record Bindings(String location, String version, MethodHandle engineCreate, MethodHandle engineDestroy,
                    MethodHandle streamCreate, MethodHandle streamWait, MethodHandle streamDestroy,
                    MethodHandle memoryDescInitByTag, MethodHandle memoryDescEqual, MethodHandle memoryDescGetSize,
                    MethodHandle dilatedConvolutionForwardDescInit, MethodHandle primitiveDescCreate,
                    MethodHandle reorderPrimitiveDescCreate, MethodHandle primitiveDescQuery, MethodHandle primitiveDescQueryMd,
                    MethodHandle primitiveDescDestroy, MethodHandle primitiveCreate, MethodHandle primitiveExecute,
                    MethodHandle primitiveDestroy, MethodHandle memoryCreate, MethodHandle memorySetDataHandle,
                    MethodHandle memoryDestroy, Optional<MethodHandle> ompSetNumThreads) {
    }

    /** Either the bindings or why there are none. */
    record Loaded(Optional<Bindings> bindings, String reason) {
    }

    private static final class Holder {
        static final Loaded LOADED = locateAndBind();
    }

    private OneDnnLibrary() {
    }

    static Loaded load() {
        return Holder.LOADED;
    }

    /** Library names and paths to try, in order. */
    static List<String> candidates() {
        return NativeLibraryCandidates.withOverride(PATH_VARIABLE, List.of(System.mapLibraryName("dnnl") + ".2"));
    }

    private static Loaded locateAndBind() {
        NativeLibraryCandidates.Found<Bindings> found = NativeLibraryCandidates.firstThatBinds(candidates(),
                List.of("dnnl_version", "dnnl_dilated_convolution_forward_desc_init"), "not oneDNN 2.x",
                OneDnnLibrary::bind);
        return new Loaded(found.library(), found.library().isPresent() ? ""
                : "no oneDNN 2.x library found (install libdnnl2, or set " + PATH_VARIABLE
                        + " to the path of libdnnl.so.2; tried " + found.tried() + ")");
    }

    private static Bindings bind(String location, SymbolLookup lookup) throws Throwable {
        MemorySegment version = (MemorySegment) handle(lookup, "dnnl_version", FunctionDescriptor.of(PTR)).invokeExact();
        // dnnl_version_t starts with int major, minor, patch.
        MemorySegment fields = version.reinterpret(12);
        int major = fields.get(INT, 0);
        if (major != 2) {
            throw new IllegalStateException("oneDNN " + major + ".x is not the 2.x API this peer binds");
        }
        String versionText = major + "." + fields.get(INT, 4) + "." + fields.get(INT, 8);
        return new Bindings(location, versionText,
                status(lookup, "dnnl_engine_create", PTR, INT, SIZE_T),
                status(lookup, "dnnl_engine_destroy", PTR),
                status(lookup, "dnnl_stream_create", PTR, PTR, INT),
                status(lookup, "dnnl_stream_wait", PTR),
                status(lookup, "dnnl_stream_destroy", PTR),
                status(lookup, "dnnl_memory_desc_init_by_tag", PTR, INT, PTR, INT, INT),
                handle(lookup, "dnnl_memory_desc_equal", FunctionDescriptor.of(INT, PTR, PTR)),
                handle(lookup, "dnnl_memory_desc_get_size", FunctionDescriptor.of(SIZE_T, PTR)),
                status(lookup, "dnnl_dilated_convolution_forward_desc_init", PTR, INT, INT, PTR, PTR, PTR, PTR, PTR, PTR, PTR, PTR),
                status(lookup, "dnnl_primitive_desc_create", PTR, PTR, PTR, PTR, PTR),
                status(lookup, "dnnl_reorder_primitive_desc_create", PTR, PTR, PTR, PTR, PTR, PTR),
                status(lookup, "dnnl_primitive_desc_query", PTR, INT, INT, PTR),
                handle(lookup, "dnnl_primitive_desc_query_md", FunctionDescriptor.of(PTR, PTR, INT, INT)),
                status(lookup, "dnnl_primitive_desc_destroy", PTR),
                status(lookup, "dnnl_primitive_create", PTR, PTR),
                status(lookup, "dnnl_primitive_execute", PTR, PTR, INT, PTR),
                status(lookup, "dnnl_primitive_destroy", PTR),
                status(lookup, "dnnl_memory_create", PTR, PTR, PTR, PTR),
                status(lookup, "dnnl_memory_set_data_handle", PTR, PTR),
                status(lookup, "dnnl_memory_destroy", PTR),
                ompSetNumThreads());
    }

    private static Optional<MethodHandle> ompSetNumThreads() {
        try {
            SymbolLookup gomp = SymbolLookup.libraryLookup("libgomp.so.1", Arena.global());
            return gomp.find("omp_set_num_threads").map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.ofVoid(INT)));
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Optional.empty();
        }
    }

    /** A function returning {@code dnnl_status_t} (an int). */
    private static MethodHandle status(SymbolLookup lookup, String name, MemoryLayout... arguments) {
        return handle(lookup, name, FunctionDescriptor.of(INT, arguments));
    }

    private static MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Throws unless {@code status} is success, naming the call; {@link UnimplementedException} for dnnl_unimplemented. */
    static void check(int status, String call) {
        if (status == UNIMPLEMENTED) {
            throw new UnimplementedException(call + " returned dnnl_unimplemented");
        }
        if (status != SUCCESS) {
            throw new IllegalStateException(call + " failed with dnnl_status_t " + status + " (" + statusName(status) + ")");
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 1 -> "out of memory";
            case 2 -> "invalid arguments";
            case 4 -> "iterator ends";
            case 5 -> "runtime error";
            case 6 -> "not required";
            default -> "unknown";
        };
    }

    /** oneDNN has no implementation for the requested primitive on this CPU. */
    static final class UnimplementedException extends RuntimeException {
        UnimplementedException(String message) {
            super(message);
        }
    }
}
