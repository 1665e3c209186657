package org.kernels4j.comm.mpi;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;

/**
 * This process's place in an MPI job (started by {@code mpirun}, see {@link MpiLauncher}): initialises
 * MPI, and gives a {@link Communicator} over all the job's processes ({@code MPI_COMM_WORLD}), one rank
 * per process.
 *
 * <pre>{@code
 * try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults())) {
 *     world.communicator().allReduce(gradient, gradient, ReduceOp.AVG);
 * }
 * }</pre>
 *
 * <p>MPI can be initialised once per process and never again after it is finalised, so at most one world
 * is open at a time, and none can be opened after one was closed. When MPI was already initialised by
 * someone else, the world uses it and leaves finalising to them. MPI is asked for
 * {@code MPI_THREAD_MULTIPLE} and must provide at least {@code MPI_THREAD_SERIALIZED}, because the
 * communicator calls MPI from its callers' threads and its own (one at a time).
 *
 * <p>Failure: when a collective fails (a peer stalls, fails, disagrees or exits), the call throws on
 * this rank, naming the collective and the ranks. {@link #close()} then does not finalise MPI, since
 * {@code MPI_Finalize} waits for every process, including one that is stuck or gone; {@code mpirun}
 * ends the whole job when this process exits (with a non-zero status). A process that must not linger
 * calls {@link #abortJob}.
 *
 * <p>Thread safety: {@link #open} and {@link #close} are thread-safe; MPI expects them on the same
 * thread (the "main thread" of the MPI standard). The communicator is thread-safe as documented there.
 */
public final class MpiWorld implements AutoCloseable {
    private static final long RELEASE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Object LOCK = new Object();
    private static boolean opened;

    private final MpiLibrary mpi;
    private final MemorySegment comm;
    private final MpiTransport transport;
    private final Communicator communicator;
    private final boolean initialisedHere;
    private final int threadLevel;
    private boolean closed;

    private MpiWorld(MpiLibrary mpi, MemorySegment comm, MpiTransport transport, Communicator communicator,
                     boolean initialisedHere, int threadLevel) {
        this.mpi = mpi;
        this.comm = comm;
        this.transport = transport;
        this.communicator = communicator;
        this.initialisedHere = initialisedHere;
        this.threadLevel = threadLevel;
    }

    /**
     * Initialises MPI (unless it already is) and returns the world of this job. Throws
     * {@link IllegalStateException} when libmpi is unavailable (with the reason), when a world was already
     * opened in this process, or when MPI cannot provide the thread support needed.
     */
    public static MpiWorld open(CommunicatorOptions options) {
        Objects.requireNonNull(options, "options");
        MpiLibrary mpi = MpiLibrary.load();
        synchronized (LOCK) {
            if (opened) {
                throw new IllegalStateException("an MpiWorld was already opened in this process; MPI can be initialised only once");
            }
            if (mpi.isFinalized()) {
                throw new IllegalStateException("MPI was finalised in this process and cannot be initialised again");
            }
            boolean initialiseHere = !mpi.isInitialized();
            int provided;
            if (initialiseHere) {
                provided = mpi.initThread(MpiLibrary.THREAD_MULTIPLE);
            } else {
                mpi.noteInitialized();
                provided = mpi.queryThread();
            }
            if (provided < MpiLibrary.THREAD_SERIALIZED) {
                if (initialiseHere) {
                    mpi.finalizeMpi();
                }
                throw new IllegalStateException("MPI provides thread level " + threadLevelName(provided)
                        + "; kernels4j needs MPI_THREAD_SERIALIZED or better, because its communicator calls MPI from several threads");
            }
            opened = true;
            MemorySegment comm = mpi.duplicateReturningErrors(mpi.commWorld());
            MpiTransport transport = new MpiTransport(mpi, comm, MpiTransport.MAX_MESSAGE_BYTES,
                    MpiTransport.oversubscribed(System.getenv()));
            return new MpiWorld(mpi, comm, transport, Communicator.create(transport, options), initialiseHere, provided);
        }
    }

    /** The communicator over every process of the job; closed with this world. */
    public Communicator communicator() {
        return communicator;
    }

    public int rank() {
        return transport.rank();
    }

    public int size() {
        return transport.size();
    }

    /** The bound library, e.g. for a benchmark peer that calls {@code MPI_Allreduce} while this world is open. */
    public MpiLibrary library() {
        return mpi;
    }

    /** The thread support MPI provided, e.g. {@code MPI_THREAD_MULTIPLE}. */
    public String threadLevel() {
        return threadLevelName(threadLevel);
    }

    /**
     * Ends every process of the job, this one included, with {@code errorCode} ({@code MPI_Abort}), after
     * printing {@code reason} on stderr: the last resort of a process that is giving up while peers may
     * be stuck. Does not return.
     */
    public void abortJob(int errorCode, String reason) {
        Objects.requireNonNull(reason, "reason");
        System.err.println("kernels4j: rank " + rank() + " aborts the MPI job: " + reason);
        System.err.flush();
        mpi.abort(mpi.commWorld(), errorCode);
        Runtime.getRuntime().halt(errorCode == 0 ? 1 : errorCode);
    }

    /**
     * Closes the communicator; when every collective succeeded, frees this world's MPI communicator and
     * finalises MPI (if this world initialised it). After a failure MPI is left as it is (see the class
     * comment). Idempotent.
     */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
        }
        communicator.close();
        if (transport.release(RELEASE_WAIT_NANOS)) {
            mpi.free(comm);
            if (initialisedHere) {
                mpi.finalizeMpi();
            }
        }
    }

    private static String threadLevelName(int level) {
        return switch (level) {
            case 0 -> "MPI_THREAD_SINGLE";
            case 1 -> "MPI_THREAD_FUNNELED";
            case 2 -> "MPI_THREAD_SERIALIZED";
            case 3 -> "MPI_THREAD_MULTIPLE";
            default -> "unknown (" + level + ")";
        };
    }
}
