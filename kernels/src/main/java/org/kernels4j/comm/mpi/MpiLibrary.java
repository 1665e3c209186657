package org.kernels4j.comm.mpi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.spi.NativeLibraryCandidates;

/**
 * Open MPI's {@code libmpi}, found and bound through the FFM API once per process. Loading never throws:
 * without a library, or with one that is not Open MPI, {@link #availability()} says why.
 *
 * <p>Search order: the file named by {@code K4J_MPI_LIBRARY}; {@code libmpi.so.40} (Open MPI 3 to 5)
 * and {@code libmpi.so} through the dynamic linker's search; then the usual distribution paths. Only
 * Open MPI's ABI is supported: its handles ({@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op},
 * {@code MPI_Request}) are pointers, the predefined ones are the addresses of exported objects such as
 * {@code ompi_mpi_comm_world}, and {@code MPI_Status} is {@code {int MPI_SOURCE, MPI_TAG, MPI_ERROR,
 * _cancelled; size_t _ucount}} (24 bytes). MPICH-family libraries use integer handles and are rejected.
 *
 * <p>The public methods are the blocking collectives that benchmarks compare with, on
 * {@code MPI_COMM_WORLD}, once MPI is initialised (by {@link MpiWorld#open}); the rest serves the
 * transport. Thread safety: every call holds one process-wide lock, so calls never overlap and
 * {@code MPI_THREAD_SERIALIZED} suffices whichever threads make them; a blocking collective holds the
 * lock, and so the transport's polling, for its whole duration. The library stays loaded for the life
 * of the process.
 */
// Binding a native library is this class's whole job; the launcher grants --enable-native-access.
@SuppressWarnings("restricted")
public final class MpiLibrary {
    public static final String PATH_VARIABLE = "K4J_MPI_LIBRARY";

    static final int THREAD_SERIALIZED = 2;
    static final int THREAD_MULTIPLE = 3;
    static final int ANY_SOURCE = -1;
    static final long STATUS_BYTES = 24;

    private static final int SUCCESS = 0;
    private static final int MAX_STRING = 256;
    private static final Linker LINKER = Linker.nativeLinker();

    private static final class Holder {
        static final Located LOCATED = locate();
    }

    private record Located(Optional<MpiLibrary> library, String reason) {
    }

    private final String location;
    private final String version;
    private final ReentrantLock lock = new ReentrantLock();
    /** Out-parameters of every call; used only while holding {@link #lock}. */
    private final MemorySegment out = Arena.global().allocate(MAX_STRING + 16, 8);
    private volatile boolean initialized;

    private final MemorySegment commWorld;
    private final MemorySegment requestNull;
    private final MemorySegment errorsReturn;
    private final MemorySegment byteType;
    private final MemorySegment floatType;
    private final MemorySegment int8Type;
    private final MemorySegment int32Type;
    private final MemorySegment opSum;
    private final MemorySegment opProd;
    private final MemorySegment opMax;
    private final MemorySegment opMin;

    private final MethodHandle initThread;
    private final MethodHandle queryThread;
    private final MethodHandle initializedFunction;
    private final MethodHandle finalizedFunction;
    private final MethodHandle finalizeFunction;
    private final MethodHandle abortFunction;
    private final MethodHandle commRank;
    private final MethodHandle commSize;
    private final MethodHandle commDup;
    private final MethodHandle commFree;
    private final MethodHandle commSetErrhandler;
    private final MethodHandle isendFunction;
    private final MethodHandle irecvFunction;
    private final MethodHandle testFunction;
    private final MethodHandle cancelFunction;
    private final MethodHandle requestFreeFunction;
    private final MethodHandle getCount;
    private final MethodHandle errorString;
    private final MethodHandle allreduceFunction;
    private final MethodHandle reduceScatterBlockFunction;
    private final MethodHandle allgatherFunction;
    private final MethodHandle bcastFunction;
    private final MethodHandle barrierFunction;

    private MpiLibrary(String location, Symbols symbols) throws Throwable {
        this.location = location;
        commWorld = symbols.data("ompi_mpi_comm_world");
        requestNull = symbols.data("ompi_request_null");
        errorsReturn = symbols.data("ompi_mpi_errors_return");
        byteType = symbols.data("ompi_mpi_byte");
        floatType = symbols.data("ompi_mpi_float");
        int8Type = symbols.data("ompi_mpi_int8_t");
        int32Type = symbols.data("ompi_mpi_int32_t");
        opSum = symbols.data("ompi_mpi_op_sum");
        opProd = symbols.data("ompi_mpi_op_prod");
        opMax = symbols.data("ompi_mpi_op_max");
        opMin = symbols.data("ompi_mpi_op_min");
        initThread = symbols.function("MPI_Init_thread", ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        queryThread = symbols.function("MPI_Query_thread", ADDRESS);
        initializedFunction = symbols.function("MPI_Initialized", ADDRESS);
        finalizedFunction = symbols.function("MPI_Finalized", ADDRESS);
        finalizeFunction = symbols.function("MPI_Finalize");
        abortFunction = symbols.function("MPI_Abort", ADDRESS, JAVA_INT);
        commRank = symbols.function("MPI_Comm_rank", ADDRESS, ADDRESS);
        commSize = symbols.function("MPI_Comm_size", ADDRESS, ADDRESS);
        commDup = symbols.function("MPI_Comm_dup", ADDRESS, ADDRESS);
        commFree = symbols.function("MPI_Comm_free", ADDRESS);
        commSetErrhandler = symbols.function("MPI_Comm_set_errhandler", ADDRESS, ADDRESS);
        isendFunction = symbols.function("MPI_Isend", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        irecvFunction = symbols.function("MPI_Irecv", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        testFunction = symbols.function("MPI_Test", ADDRESS, ADDRESS, ADDRESS);
        cancelFunction = symbols.function("MPI_Cancel", ADDRESS);
        requestFreeFunction = symbols.function("MPI_Request_free", ADDRESS);
        getCount = symbols.function("MPI_Get_count", ADDRESS, ADDRESS, ADDRESS);
        errorString = symbols.function("MPI_Error_string", JAVA_INT, ADDRESS, ADDRESS);
        allreduceFunction = symbols.function("MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        reduceScatterBlockFunction = symbols.function("MPI_Reduce_scatter_block", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        allgatherFunction = symbols.function("MPI_Allgather", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        bcastFunction = symbols.function("MPI_Bcast", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        barrierFunction = symbols.function("MPI_Barrier", ADDRESS);
        MethodHandle libraryVersion = symbols.function("MPI_Get_library_version", ADDRESS, ADDRESS);
        symbols.requireAll();
        // MPI_Get_library_version is one of the few calls allowed before MPI_Init.
        int rc = (int) libraryVersion.invokeExact(out, out.asSlice(MAX_STRING));
        version = rc == SUCCESS ? firstLine(out.getString(0)) : "Open MPI (version unknown)";
    }

    /** Whether libmpi was found and bound, and if not, why. */
    public static Availability availability() {
        Located located = Holder.LOCATED;
        return located.library().isPresent() ? Availability.yes() : Availability.no(located.reason());
    }

    /** The bound library; throws {@link IllegalStateException} with the reason when there is none. */
    public static MpiLibrary load() {
        Located located = Holder.LOCATED;
        return located.library().orElseThrow(() -> new IllegalStateException("MPI unavailable: " + located.reason()));
    }

    /** Where the library was found. */
    public String location() {
        return location;
    }

    /** The first line of {@code MPI_Get_library_version}, e.g. {@code Open MPI v4.1.4, package: Debian ...}. */
    public String version() {
        return version;
    }

    /** This process's rank in {@code MPI_COMM_WORLD}. */
    public int worldRank() {
        requireInitialized();
        return rank(commWorld);
    }

    /** The number of processes in {@code MPI_COMM_WORLD}. */
    public int worldSize() {
        requireInitialized();
        return size(commWorld);
    }

    /** {@code MPI_Allreduce} of {@code count} elements from {@code in} into {@code out} (distinct) over the world. */
    public void allReduce(MemorySegment in, MemorySegment out, long count, DType dtype, ReduceOp op) {
        int n = checkCollective(in, "in", count, dtype);
        checkBuffer(out, "out", count, dtype);
        checkDisjoint(in, out, count * dtype.byteSize());
        MemorySegment type = datatype(dtype);
        MemorySegment operation = operation(op);
        call("MPI_Allreduce", () -> (int) allreduceFunction.invokeExact(in, out, n, type, operation, commWorld));
    }

    /** {@code MPI_Reduce_scatter_block}: {@code in} holds worldSize blocks of {@code blockCount}; {@code out} gets one. */
    public void reduceScatterBlock(MemorySegment in, MemorySegment out, long blockCount, DType dtype, ReduceOp op) {
        int n = checkCollective(out, "out", blockCount, dtype);
        long total = Math.multiplyExact(blockCount, (long) worldSize());
        checkBuffer(in, "in", total, dtype);
        checkDisjoint(in, out, total * dtype.byteSize());
        MemorySegment type = datatype(dtype);
        MemorySegment operation = operation(op);
        call("MPI_Reduce_scatter_block", () -> (int) reduceScatterBlockFunction.invokeExact(in, out, n, type, operation, commWorld));
    }

    /** {@code MPI_Allgather}: every rank's {@code count} elements of {@code in}, in rank order, into {@code out}. */
    public void allGather(MemorySegment in, MemorySegment out, long count, DType dtype) {
        int n = checkCollective(in, "in", count, dtype);
        long total = Math.multiplyExact(count, (long) worldSize());
        checkBuffer(out, "out", total, dtype);
        checkDisjoint(in, out, total * dtype.byteSize());
        MemorySegment type = datatype(dtype);
        call("MPI_Allgather", () -> (int) allgatherFunction.invokeExact(in, n, type, out, n, type, commWorld));
    }

    /** {@code MPI_Bcast} of {@code count} elements of {@code buffer} from {@code root}. */
    public void broadcast(MemorySegment buffer, long count, DType dtype, int root) {
        int n = checkCollective(buffer, "buffer", count, dtype);
        int size = worldSize();
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException("root: " + root + " outside [0, " + size + ")");
        }
        MemorySegment type = datatype(dtype);
        call("MPI_Bcast", () -> (int) bcastFunction.invokeExact(buffer, n, type, root, commWorld));
    }

    /** {@code MPI_Barrier} over the world. */
    public void barrier() {
        requireInitialized();
        call("MPI_Barrier", () -> (int) barrierFunction.invokeExact(commWorld));
    }

    @Override
    public String toString() {
        return version + " (" + location + ")";
    }

    // ---- process state, for MpiWorld ----

    /** {@code MPI_Init_thread} asking for {@code required}; returns the level provided. */
    int initThread(int required) {
        int provided = callForInt("MPI_Init_thread", slot -> (int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, required, slot));
        initialized = true;
        return provided;
    }

    int queryThread() {
        return callForInt("MPI_Query_thread", slot -> (int) queryThread.invokeExact(slot));
    }

    boolean isInitialized() {
        return callForInt("MPI_Initialized", slot -> (int) initializedFunction.invokeExact(slot)) != 0;
    }

    boolean isFinalized() {
        return callForInt("MPI_Finalized", slot -> (int) finalizedFunction.invokeExact(slot)) != 0;
    }

    /** Notes that MPI was initialised elsewhere in this process, so that the public calls may run. */
    void noteInitialized() {
        initialized = true;
    }

    void finalizeMpi() {
        initialized = false;
        call("MPI_Finalize", () -> (int) finalizeFunction.invokeExact());
    }

    /**
     * {@code MPI_Abort}: ends every process of the job, this one included. Does not take the lock: it is
     * the last resort of a process whose other threads may be stuck in MPI.
     */
    void abort(MemorySegment comm, int errorCode) {
        try {
            int ignored = (int) abortFunction.invokeExact(comm, errorCode);
        } catch (Throwable e) {
            throw new IllegalStateException("MPI_Abort failed", e);
        }
    }

    MemorySegment commWorld() {
        return commWorld;
    }

    int rank(MemorySegment comm) {
        return callForInt("MPI_Comm_rank", slot -> (int) commRank.invokeExact(comm, slot));
    }

    int size(MemorySegment comm) {
        return callForInt("MPI_Comm_size", slot -> (int) commSize.invokeExact(comm, slot));
    }

    /** {@code MPI_Comm_dup}, with errors returned as codes on the copy instead of ending the job. */
    MemorySegment duplicateReturningErrors(MemorySegment comm) {
        lock.lock();
        try {
            check("MPI_Comm_dup", invoke(() -> (int) commDup.invokeExact(comm, out)));
            MemorySegment copy = out.get(ADDRESS, 0);
            check("MPI_Comm_set_errhandler", invoke(() -> (int) commSetErrhandler.invokeExact(copy, errorsReturn)));
            return copy;
        } finally {
            lock.unlock();
        }
    }

    void free(MemorySegment comm) {
        lock.lock();
        try {
            out.set(ADDRESS, 0, comm);
            check("MPI_Comm_free", invoke(() -> (int) commFree.invokeExact(out)));
        } finally {
            lock.unlock();
        }
    }

    // ---- point to point, for MpiTransport; buffers are addresses of native memory ----

    void isend(MemorySegment buffer, int bytes, int peer, int tag, MemorySegment comm, MemorySegment request) {
        call("MPI_Isend", () -> (int) isendFunction.invokeExact(buffer, bytes, byteType, peer, tag, comm, request));
    }

    void irecv(MemorySegment buffer, int bytes, int peer, int tag, MemorySegment comm, MemorySegment request) {
        call("MPI_Irecv", () -> (int) irecvFunction.invokeExact(buffer, bytes, byteType, peer, tag, comm, request));
    }

    /** {@code MPI_Test}; {@code status} may be {@link MemorySegment#NULL} ({@code MPI_STATUS_IGNORE}). */
    boolean test(MemorySegment request, MemorySegment status) {
        return callForInt("MPI_Test", slot -> (int) testFunction.invokeExact(request, slot, status)) != 0;
    }

    void cancel(MemorySegment request) {
        call("MPI_Cancel", () -> (int) cancelFunction.invokeExact(request));
    }

    /** {@code MPI_Request_free}: an active request completes on its own; its buffer must outlive it. */
    void freeRequest(MemorySegment request) {
        call("MPI_Request_free", () -> (int) requestFreeFunction.invokeExact(request));
    }

    /** Whether the request slot holds {@code MPI_REQUEST_NULL} (completed, freed, or never posted). */
    boolean isNull(MemorySegment request) {
        return request.get(ADDRESS, 0).address() == requestNull.address();
    }

    void setNull(MemorySegment request) {
        request.set(ADDRESS, 0, requestNull);
    }

    /** Bytes a completed receive got, from its status. */
    int receivedBytes(MemorySegment status) {
        return callForInt("MPI_Get_count", slot -> (int) getCount.invokeExact(status, byteType, slot));
    }

    static int statusSource(MemorySegment status) {
        return status.get(JAVA_INT, 0);
    }

    // ---- call plumbing ----

    private interface NativeCall {
        int invoke() throws Throwable;
    }

    private interface NativeCallWithSlot {
        int invoke(MemorySegment slot) throws Throwable;
    }

    private void call(String function, NativeCall call) {
        lock.lock();
        try {
            check(function, invoke(call));
        } finally {
            lock.unlock();
        }
    }

    /** Calls with one int out-parameter and returns it. */
    private int callForInt(String function, NativeCallWithSlot call) {
        lock.lock();
        try {
            check(function, invoke(() -> call.invoke(out)));
            return out.get(JAVA_INT, 0);
        } finally {
            lock.unlock();
        }
    }

    private static int invoke(NativeCall call) {
        try {
            return call.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native call failed", e);
        }
    }

    private void check(String function, int rc) {
        if (rc != SUCCESS) {
            throw new MpiException(function, rc, errorText(rc));
        }
    }

    /** {@code MPI_Error_string}; callable at any time, even before MPI_Init. Caller holds the lock. */
    private String errorText(int code) {
        MemorySegment text = out.asSlice(16, MAX_STRING);
        int rc = invoke(() -> (int) errorString.invokeExact(code, text, out));
        return rc == SUCCESS ? text.getString(0) : "unknown MPI error";
    }

    private void requireInitialized() {
        if (!initialized) {
            throw new IllegalStateException("MPI is not initialised in this process (open an MpiWorld first)");
        }
    }

    private int checkCollective(MemorySegment buffer, String name, long count, DType dtype) {
        requireInitialized();
        checkBuffer(buffer, name, count, dtype);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("count: " + count + " exceeds MPI's int count limit " + Integer.MAX_VALUE);
        }
        return (int) count;
    }

    private static void checkBuffer(MemorySegment buffer, String name, long count, DType dtype) {
        Objects.requireNonNull(buffer, name);
        Objects.requireNonNull(dtype, "dtype");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " is negative");
        }
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(name + ": a heap segment cannot be handed to MPI; use off-heap memory");
        }
        long bytes = Math.multiplyExact(count, (long) dtype.byteSize());
        if (buffer.byteSize() < bytes) {
            throw new IllegalArgumentException(name + ": " + buffer.byteSize() + " bytes, but " + count + " " + dtype
                    + " elements need " + bytes);
        }
    }

    private static void checkDisjoint(MemorySegment a, MemorySegment b, long bytes) {
        if (bytes > 0 && a.asSlice(0, Math.min(bytes, a.byteSize())).asOverlappingSlice(b).isPresent()) {
            throw new IllegalArgumentException("out: overlaps in; MPI collectives here are out of place");
        }
    }

    private MemorySegment datatype(DType dtype) {
        return switch (dtype) {
            case FP32 -> floatType;
            case INT8 -> int8Type;
            case INT32 -> int32Type;
            case FP16, BF16 -> throw new IllegalArgumentException("dtype: " + dtype + " has no MPI datatype in Open MPI");
        };
    }

    private MemorySegment operation(ReduceOp op) {
        Objects.requireNonNull(op, "op");
        return switch (op) {
            case SUM -> opSum;
            case PROD -> opProd;
            case MAX -> opMax;
            case MIN -> opMin;
            case AVG -> throw new IllegalArgumentException("op: AVG has no MPI_Op; use SUM and divide");
        };
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    // ---- locating ----

    /** Symbol lookup that names every missing symbol at once instead of failing on the first. */
    private static final class Symbols {
        private final SymbolLookup lookup;
        private final List<String> missing = new ArrayList<>();

        Symbols(SymbolLookup lookup) {
            this.lookup = lookup;
        }

        MemorySegment data(String name) {
            return find(name);
        }

        /** A handle for {@code int name(arguments)}; null, and noted as missing, when absent. */
        MethodHandle function(String name, MemoryLayout... arguments) {
            MemorySegment symbol = find(name);
            return symbol == null ? null : LINKER.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, arguments));
        }

        void requireAll() {
            if (!missing.isEmpty()) {
                throw new IllegalStateException("missing " + String.join(", ", missing));
            }
        }

        private MemorySegment find(String name) {
            Optional<MemorySegment> symbol = lookup.find(name);
            if (symbol.isEmpty()) {
                missing.add(name);
                return null;
            }
            return symbol.get();
        }
    }

    private static Located locate() {
        NativeLibraryCandidates.Found<MpiLibrary> found = NativeLibraryCandidates.firstThatBinds(candidates(),
                List.of("ompi_mpi_comm_world"), "not Open MPI (MPICH-style integer handles are not supported)",
                (candidate, lookup) -> new MpiLibrary(candidate, new Symbols(lookup)));
        return new Located(found.library(), found.library().isPresent() ? ""
                : "no Open MPI library found (install openmpi-bin and libopenmpi-dev, or set " + PATH_VARIABLE
                        + " to libmpi's path; tried " + found.tried() + ")");
    }

    static List<String> candidates() {
        List<String> candidates = new ArrayList<>();
        candidates.add("libmpi.so.40");
        candidates.add("libmpi.so");
        String multiarch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).equals("aarch64")
                ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        for (String directory : List.of("/usr/lib/" + multiarch, "/usr/lib/" + multiarch + "/openmpi/lib",
                "/usr/lib64/openmpi/lib", "/usr/local/lib", "/opt/openmpi/lib")) {
            candidates.add(directory + "/libmpi.so.40");
        }
        return NativeLibraryCandidates.withOverride(PATH_VARIABLE, candidates);
    }
}
