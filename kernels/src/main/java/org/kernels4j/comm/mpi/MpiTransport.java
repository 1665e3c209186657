package org.kernels4j.comm.mpi;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.kernels4j.comm.CollectiveException;
import org.kernels4j.comm.CollectiveHeader;
import org.kernels4j.comm.Transport;

/**
 * The {@link Transport} of one MPI process over a communicator of its own (a duplicate of
 * {@code MPI_COMM_WORLD}, so that the application's MPI traffic never matches ours).
 *
 * <p>Zero copy: MPI reads and writes the tensors' native memory directly; heap segments are rejected.
 * Every step is an {@link Exchange} of nonblocking requests polled with {@code MPI_Test} until they
 * complete, the deadline passes, or the group fails: a stalled peer becomes a
 * {@link CollectiveException} naming the collective, this rank and the peer, never a hang. Polling
 * spins, as Open MPI's own blocking calls do, or, when the job is oversubscribed (more ranks than cores),
 * yields the core at every poll so that the peers it waits for can run (Open MPI's
 * {@code mpi_yield_when_idle}); it parks only after a long wait. A thread that parks or yields on a busy
 * machine loses its core for a whole scheduler slice: parking after 2 ms made 16 MB all-reduces several
 * times slower than MPI_Allreduce on a loaded machine.
 *
 * <p>Failure: {@link #abort} records the failure and sends a notice ({@link Notices}) to every other rank,
 * whose pending and later calls then fail at once with it; {@link #close} tells the others that this
 * rank left, so that a peer still waiting for it fails at once too. A rank that times out asks the peer
 * it waited for what that peer waits for, and so on along the chain, so that the exception names the
 * rank that stalled (the one that does not answer, or waits for no one) rather than an innocent
 * neighbour that was itself waiting; this costs at most {@link #QUERY_GRACE_NANOS} per rank that does
 * not answer, after the deadline. A failed step cancels its requests;
 * a transfer that cannot be cancelled (one the peer has begun) is left to MPI, which may still touch
 * the buffers of that call: after a failure the process should end (see {@link MpiWorld#close}).
 * What happens to the other processes is up to them: each fails its own call and goes on to close its
 * world; {@code mpirun} ends the job when a process exits without finalising MPI.
 *
 * <p>Thread safety as in {@link Transport}: one thread runs the steps; {@link #abort}, {@link #failure}
 * and {@link #close} may come from any thread (their MPI calls are serialized by {@link MpiLibrary}).
 */
final class MpiTransport implements Transport {
    /** The largest single message: MPI counts are ints, so a longer payload is split into messages of this size. */
    static final long MAX_MESSAGE_BYTES = 1L << 30;

    private static final long PARK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long CANCEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a timed-out rank waits for an answer; a rank in a step answers within microseconds. */
    private static final long QUERY_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What this rank is doing, as told to a rank that asks: whom it waits for (-1: no one) and a description. */
    private record Activity(int waitingFor, String description) {
    }

    private final MpiLibrary mpi;
    private final MemorySegment comm;
    private final int rank;
    private final int size;
    private final long maxMessageBytes;
    private final boolean yieldWhileWaiting;
    private final Notices notices;
    private final AtomicReference<CollectiveException> failure = new AtomicReference<>();
    private final Set<Integer> closedPeers = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Notices.Notice> answers = new ConcurrentHashMap<>();
    private volatile Activity activity = new Activity(-1, "has not communicated yet");
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by the stepping thread while it has requests posted; {@link #release} waits for it. */
    private final ReentrantLock stepping = new ReentrantLock();
    private volatile boolean released;
    private volatile boolean abandonedRequests;

    /**
     * A transport over {@code comm}, which it uses but does not free; {@code maxMessageBytes} is below 2^31;
     * {@code yieldWhileWaiting} for an oversubscribed job (see {@link #oversubscribed}).
     */
    MpiTransport(MpiLibrary mpi, MemorySegment comm, long maxMessageBytes, boolean yieldWhileWaiting) {
        if (maxMessageBytes < 1 || maxMessageBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " outside [1, " + Integer.MAX_VALUE + "]");
        }
        this.mpi = Objects.requireNonNull(mpi, "mpi");
        this.comm = Objects.requireNonNull(comm, "comm");
        this.rank = mpi.rank(comm);
        this.size = mpi.size(comm);
        this.maxMessageBytes = maxMessageBytes;
        this.yieldWhileWaiting = yieldWhileWaiting;
        this.notices = new Notices(mpi, comm, rank, size);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void send(CollectiveHeader header, int peer, MemorySegment source, long offset, long bytes, long deadlineNanos) {
        Objects.requireNonNull(header, "header");
        MemorySegment from = checkedRange("source", peer, source, offset, bytes);
        step(header, peer, from, bytes, -1, null, 0, deadlineNanos);
    }

    @Override
    public void receive(CollectiveHeader header, int peer, MemorySegment target, long offset, long bytes, long deadlineNanos) {
        Objects.requireNonNull(header, "header");
        MemorySegment into = checkedRange("target", peer, target, offset, bytes);
        step(header, -1, null, 0, peer, into, bytes, deadlineNanos);
    }

    @Override
    public void sendReceive(CollectiveHeader header, int sendPeer, MemorySegment source, long sourceOffset, long sendBytes,
                            int receivePeer, MemorySegment target, long targetOffset, long receiveBytes, long deadlineNanos) {
        Objects.requireNonNull(header, "header");
        MemorySegment from = checkedRange("source", sendPeer, source, sourceOffset, sendBytes);
        MemorySegment into = checkedRange("target", receivePeer, target, targetOffset, receiveBytes);
        if (sendBytes > 0 && receiveBytes > 0 && from.asOverlappingSlice(into).isPresent()) {
            throw new IllegalArgumentException("target: bytes [" + targetOffset + ", " + (targetOffset + receiveBytes)
                    + ") overlap the source range being sent");
        }
        step(header, sendPeer, from, sendBytes, receivePeer, into, receiveBytes, deadlineNanos);
    }

    @Override
    public void abort(CollectiveException failure) {
        Objects.requireNonNull(failure, "failure");
        if (this.failure.compareAndSet(null, failure) && !released) {
            notices.sendToAll(Notices.Kind.FAILED, failure.ranks(), failure.getMessage());
        }
    }

    @Override
    public Optional<CollectiveException> failure() {
        if (!released) {
            pollNotices();
        }
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && !released) {
            notices.sendToAll(Notices.Kind.CLOSED, List.of(), "");
        }
    }

    /**
     * After {@link #close}: waits up to {@code waitNanos} for the stepping thread to leave, then withdraws
     * the notice receive. Returns whether MPI is clean enough to finalise: no failure, no abandoned
     * request. Idempotent; the transport makes no MPI call afterwards.
     */
    boolean release(long waitNanos) {
        if (released) {
            return failure.get() == null && !abandonedRequests;
        }
        boolean idle;
        try {
            idle = stepping.tryLock(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            released = true;
            return false;
        }
        try {
            boolean noticesSettled = notices.close(CANCEL_GRACE_NANOS);
            released = true;
            return noticesSettled && failure.get() == null && !abandonedRequests;
        } finally {
            stepping.unlock();
        }
    }

    private void step(CollectiveHeader header, int sendPeer, MemorySegment source, long sendBytes,
                      int receivePeer, MemorySegment target, long receiveBytes, long deadlineNanos) {
        stepping.lock();
        try {
            throwIfUnusable(header);
            Exchange exchange;
            try {
                exchange = new Exchange(mpi, comm, maxMessageBytes, header, sendPeer, source, sendBytes,
                        receivePeer, target, receiveBytes);
            } catch (MpiException e) {
                abandonedRequests = true; // some of the step's requests may have been posted
                throw e;
            }
            try {
                await(header, exchange, sendPeer, receivePeer, receiveBytes, deadlineNanos);
            } catch (RuntimeException | Error e) {
                if (!exchange.cancel(CANCEL_GRACE_NANOS)) {
                    abandonedRequests = true;
                }
                throw e;
            }
            exchange.close();
        } catch (MpiException e) {
            throw new CollectiveException(header.describe() + " on rank " + rank + ": " + e.getMessage(),
                    List.of(rank), e);
        } finally {
            activity = new Activity(-1, "is waiting for no one (it last communicated in " + header.describe() + ")");
            stepping.unlock();
        }
    }

    private void await(CollectiveHeader header, Exchange exchange, int sendPeer, int receivePeer, long receiveBytes,
                       long deadlineNanos) {
        long start = System.nanoTime();
        Set<Integer> closedBeforeThisPoll = Set.of();
        boolean receiving = receivePeer >= 0;
        activity = waiting(header, receiving ? receivePeer : sendPeer, receiving);
        while (true) {
            boolean done;
            try {
                done = exchange.pollAll();
            } catch (MpiException e) {
                // A payload of the wrong length fails in MPI; the header, sent first, says why.
                checkHeaderIfArrived(header, exchange, receivePeer, receiveBytes);
                throw e;
            }
            checkHeaderIfArrived(header, exchange, receivePeer, receiveBytes);
            if (done) {
                if (!exchange.receivedWhatWasExpected()) {
                    throw mismatch(header.describe() + ": rank " + rank + " received a payload from rank " + receivePeer
                            + " whose length differs from its header", receivePeer);
                }
                return;
            }
            if (receiving && !exchange.receivePending()) {
                receiving = false;
                activity = waiting(header, sendPeer, false);
            }
            pollNotices();
            throwIfFailed(header);
            // A peer's close notice may overtake its last messages to us in matching: only when they were
            // still missing after a full poll that followed the notice did the peer really leave without them.
            for (int peer : closedBeforeThisPoll) {
                if (exchange.waitsFor(peer)) {
                    throw new CollectiveException(header.describe() + " on rank " + rank + ": rank " + peer
                            + " closed its communicator", List.of(peer), null);
                }
            }
            closedBeforeThisPoll = Set.copyOf(closedPeers);
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                throw timedOut(header, receiving ? receivePeer : sendPeer, receiving);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CollectiveException(header.describe() + " on rank " + rank + ": interrupted", List.of(rank), null);
            }
            backOff(now - start);
        }
    }

    private void checkHeaderIfArrived(CollectiveHeader header, Exchange exchange, int receivePeer, long receiveBytes) {
        WireHeader.Received received = exchange.pollHeader();
        if (received != null) {
            checkMatches(header, receivePeer, receiveBytes, received);
        }
    }

    private void backOff(long waitedNanos) {
        if (waitedNanos >= PARK_AFTER_NANOS) {
            LockSupport.parkNanos(PARK_NANOS);
        } else if (yieldWhileWaiting) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /**
     * Whether this process should give up its core while it waits, from the environment mpirun gives its
     * ranks: an explicit {@code OMPI_MCA_mpi_yield_when_idle}, else {@code OMPI_MCA_mpi_oversubscribe=1}
     * (more ranks than slots).
     */
    static boolean oversubscribed(Map<String, String> environment) {
        String explicit = environment.get("OMPI_MCA_mpi_yield_when_idle");
        if (explicit != null) {
            return !explicit.strip().equals("0") && !explicit.strip().equalsIgnoreCase("false");
        }
        return "1".equals(environment.get("OMPI_MCA_mpi_oversubscribe"));
    }

    private void checkMatches(CollectiveHeader header, int peer, long bytes, WireHeader.Received received) {
        if (received.header().filter(header::equals).isEmpty()) {
            throw mismatch("mismatched collectives: rank " + rank + " called " + header.describe() + " but rank " + peer
                    + " called " + received.describe(), peer);
        }
        if (received.payloadBytes() != bytes) {
            throw mismatch(header.describe() + ": rank " + rank + " expected " + bytes + " bytes from rank " + peer
                    + " but it sent " + received.payloadBytes(), peer);
        }
    }

    private CollectiveException mismatch(String message, int peer) {
        return new CollectiveException(message, List.of(Math.min(rank, peer), Math.max(rank, peer)), null);
    }

    /**
     * The timeout, blaming the end of the chain of waits that starts at {@code peer}: asks each rank in
     * turn whom it waits for, until one does not answer, waits for no one, or the chain closes on itself.
     * A failure notice that arrives meanwhile wins (another rank got there first).
     */
    private CollectiveException timedOut(CollectiveHeader header, int peer, boolean receiving) {
        StringBuilder message = new StringBuilder(header.describe()).append(" on rank ").append(rank)
                .append(": timed out waiting for rank ").append(peer).append(" to ").append(receiving ? "send" : "receive");
        List<Integer> chain = new ArrayList<>(List.of(rank));
        List<Integer> blamed;
        int current = peer;
        while (true) {
            if (chain.contains(current)) {
                blamed = List.copyOf(chain.subList(chain.indexOf(current), chain.size()));
                message.append("; ranks ").append(blamed).append(" wait for each other");
                break;
            }
            chain.add(current);
            Notices.Notice answer = ask(current);
            if (failure.get() != null) {
                return aborted(header, failure.get());
            }
            if (answer == null) {
                blamed = List.of(current);
                message.append("; rank ").append(current).append(" does not answer (stalled outside MPI, or gone)");
                break;
            }
            message.append("; rank ").append(current).append(' ').append(answer.message());
            if (answer.ranks().isEmpty()) {
                blamed = List.of(current);
                break;
            }
            current = answer.ranks().get(0);
        }
        return new CollectiveException(message.toString(), blamed, null);
    }

    /** Asks {@code peer} what it waits for; null when it does not answer in time or the group fails meanwhile. */
    private Notices.Notice ask(int peer) {
        answers.remove(peer);
        notices.sendTo(peer, Notices.Kind.QUERY, List.of(), "");
        long deadline = System.nanoTime() + QUERY_GRACE_NANOS;
        while (System.nanoTime() - deadline < 0 && failure.get() == null) {
            pollNotices();
            Notices.Notice answer = answers.remove(peer);
            if (answer != null) {
                return answer;
            }
            LockSupport.parkNanos(PARK_NANOS);
        }
        return null;
    }

    private static Activity waiting(CollectiveHeader header, int peer, boolean receiving) {
        return new Activity(peer, "is waiting for rank " + peer + " to " + (receiving ? "send" : "receive") + " in " + header.describe());
    }

    /** Takes in every notice that has arrived: a peer's failure fails this rank; a peer's close is noted. */
    private void pollNotices() {
        for (Optional<Notices.Notice> next = notices.poll(); next.isPresent(); next = notices.poll()) {
            Notices.Notice notice = next.get();
            switch (notice.kind()) {
                case FAILED -> failure.compareAndSet(null, new CollectiveException(notice.message(), notice.ranks(), null));
                case CLOSED -> closedPeers.add(notice.from());
                case QUERY -> {
                    Activity now = activity;
                    notices.sendTo(notice.from(), Notices.Kind.ANSWER,
                            now.waitingFor() < 0 ? List.of() : List.of(now.waitingFor()), now.description());
                }
                case ANSWER -> answers.put(notice.from(), notice);
            }
        }
    }

    private void throwIfUnusable(CollectiveHeader header) {
        if (released) {
            throw new IllegalStateException("the MPI transport of rank " + rank + " is released");
        }
        throwIfFailed(header);
    }

    private void throwIfFailed(CollectiveHeader header) {
        CollectiveException cause = failure.get();
        if (cause != null) {
            throw aborted(header, cause);
        }
    }

    private CollectiveException aborted(CollectiveHeader header, CollectiveException cause) {
        return new CollectiveException(header.describe() + " on rank " + rank + ": aborted because " + cause.getMessage(),
                cause.ranks(), cause);
    }

    /** The byte range as a native slice, or an {@link IllegalArgumentException} naming what is wrong. */
    private MemorySegment checkedRange(String name, int peer, MemorySegment segment, long offset, long bytes) {
        if (peer < 0 || peer >= size || peer == rank) {
            throw new IllegalArgumentException("peer: " + peer + " is not another rank of [0, " + size + ")");
        }
        Objects.requireNonNull(segment, name);
        if (offset < 0 || bytes < 0 || offset > segment.byteSize() - bytes) {
            throw new IllegalArgumentException(name + ": bytes [" + offset + ", " + offset + " + " + bytes
                    + ") outside its " + segment.byteSize() + " bytes");
        }
        if (!segment.isNative()) {
            throw new IllegalArgumentException(name + ": a heap segment cannot be handed to MPI (the transport is zero-copy);"
                    + " use an off-heap tensor");
        }
        return segment.asSlice(offset, bytes);
    }
}
