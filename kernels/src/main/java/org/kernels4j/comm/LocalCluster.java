package org.kernels4j.comm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A group of ranks inside one JVM: the mailboxes between every ordered pair of ranks, the group's
 * failure, which ranks have closed and how far each rank has got (to name the ranks that never arrived
 * when a collective times out).
 *
 * <p>Use {@link #create}; each returned communicator runs its collectives on its own thread, and the
 * caller typically drives each from a different thread or through the async calls. Thread-safe. The
 * group lives as long as its communicators; close every one of them.
 */
public final class LocalCluster {
    private final int size;
    private final List<LinkedBlockingQueue<LocalMessage>> mailboxes;
    private final AtomicReference<CollectiveException> failure = new AtomicReference<>();
    private final AtomicReferenceArray<Boolean> closed;
    private final AtomicLongArray enteredSequence;

    private LocalCluster(int size) {
        this.size = size;
        this.mailboxes = new ArrayList<>(size * size);
        for (int i = 0; i < size * size; i++) {
            mailboxes.add(new LinkedBlockingQueue<>());
        }
        this.closed = new AtomicReferenceArray<>(size);
        this.enteredSequence = new AtomicLongArray(size);
        for (int r = 0; r < size; r++) {
            closed.set(r, false);
            enteredSequence.set(r, -1);
        }
    }

    /** {@code size} communicators, rank i at index i, with default options. */
    public static List<Communicator> create(int size) {
        return create(size, CommunicatorOptions.defaults());
    }

    /** {@code size} communicators, rank i at index i, all with {@code options}. */
    public static List<Communicator> create(int size, CommunicatorOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("size: " + size + " is less than 1");
        }
        Objects.requireNonNull(options, "options");
        LocalCluster cluster = new LocalCluster(size);
        List<Communicator> communicators = new ArrayList<>(size);
        for (int rank = 0; rank < size; rank++) {
            communicators.add(Communicator.create(new LocalTransport(cluster, rank), options));
        }
        return List.copyOf(communicators);
    }

    int size() {
        return size;
    }

    LinkedBlockingQueue<LocalMessage> mailbox(int from, int to) {
        return mailboxes.get(from * size + to);
    }

    void abort(CollectiveException cause) {
        failure.compareAndSet(null, cause);
    }

    CollectiveException failure() {
        return failure.get();
    }

    void close(int rank) {
        closed.set(rank, true);
    }

    boolean isClosed(int rank) {
        return closed.get(rank);
    }

    void noteEntered(int rank, long sequence) {
        enteredSequence.accumulateAndGet(rank, sequence, Math::max);
    }

    /** Ranks that have not yet sent or received anything in the collective numbered {@code sequence}. */
    List<Integer> ranksNotEntered(long sequence) {
        List<Integer> lagging = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            if (enteredSequence.get(r) < sequence) {
                lagging.add(r);
            }
        }
        return lagging;
    }
}
