package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@link Transport} of one rank of a {@link LocalCluster}. A send posts a view of the sender's
 * memory; the receiver copies from it straight into its target (one copy, no staging buffer) and then
 * releases the sender. Waits poll the group's failure every {@link #POLL_NANOS}, so a failure elsewhere
 * ends them within that time rather than at the deadline.
 *
 * <p>Thread safety and lifetime as in {@link Transport}.
 */
final class LocalTransport implements Transport {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LocalCluster cluster;
    private final int rank;

    LocalTransport(LocalCluster cluster, int rank) {
        this.cluster = cluster;
        this.rank = rank;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return cluster.size();
    }

    @Override
    public void send(CollectiveHeader header, int peer, MemorySegment source, long offset, long bytes, long deadlineNanos) {
        LocalMessage message = post(header, peer, source, offset, bytes);
        awaitReceived(header, peer, message, deadlineNanos);
    }

    @Override
    public void receive(CollectiveHeader header, int peer, MemorySegment target, long offset, long bytes, long deadlineNanos) {
        Objects.requireNonNull(header, "header");
        checkRange("target", peer, target, offset, bytes);
        cluster.noteEntered(rank, header.sequence());
        deliver(header, peer, take(header, peer, deadlineNanos), target, offset, bytes);
    }

    @Override
    public void sendReceive(CollectiveHeader header, int sendPeer, MemorySegment source, long sourceOffset, long sendBytes,
                            int receivePeer, MemorySegment target, long targetOffset, long receiveBytes, long deadlineNanos) {
        checkRange("target", receivePeer, target, targetOffset, receiveBytes);
        LocalMessage message = post(header, sendPeer, source, sourceOffset, sendBytes);
        try {
            deliver(header, receivePeer, take(header, receivePeer, deadlineNanos), target, targetOffset, receiveBytes);
        } catch (CollectiveException e) {
            throw giveUp(message, e);
        } catch (RuntimeException e) {
            throw giveUp(message, new CollectiveException(header.describe() + " failed on rank " + rank + ": " + e, List.of(rank), e));
        }
        awaitReceived(header, sendPeer, message, deadlineNanos);
    }

    @Override
    public void abort(CollectiveException failure) {
        cluster.abort(Objects.requireNonNull(failure, "failure"));
    }

    @Override
    public Optional<CollectiveException> failure() {
        return Optional.ofNullable(cluster.failure());
    }

    @Override
    public void close() {
        cluster.close(rank);
    }

    private LocalMessage post(CollectiveHeader header, int peer, MemorySegment source, long offset, long bytes) {
        Objects.requireNonNull(header, "header");
        checkRange("source", peer, source, offset, bytes);
        cluster.noteEntered(rank, header.sequence());
        LocalMessage message = new LocalMessage(header, source.asSlice(offset, bytes));
        cluster.mailbox(rank, peer).add(message);
        return message;
    }

    private LocalMessage take(CollectiveHeader header, int peer, long deadlineNanos) {
        var mailbox = cluster.mailbox(peer, rank);
        while (true) {
            throwIfAborted(header);
            long remaining = deadlineNanos - System.nanoTime();
            LocalMessage message = pollInterruptibly(header, mailbox, Math.max(0, Math.min(remaining, POLL_NANOS)));
            if (message != null) {
                return message;
            }
            if (cluster.isClosed(peer)) {
                throw peerClosed(header, peer);
            }
            if (remaining <= 0) {
                throw timedOut(header, peer, "send");
            }
        }
    }

    private void deliver(CollectiveHeader header, int peer, LocalMessage message, MemorySegment target, long offset, long bytes) {
        if (!message.claim()) {
            // A sender fails the group before it withdraws a message (see giveUp).
            throwIfAborted(header);
            throw new AssertionError("message from rank " + peer + " was withdrawn without a group failure");
        }
        String mismatch = mismatch(header, peer, message, bytes);
        if (mismatch != null) {
            message.reject(mismatch);
            throw new CollectiveException(mismatch, List.of(Math.min(rank, peer), Math.max(rank, peer)), null);
        }
        try {
            MemorySegment.copy(message.payload(), 0, target, offset, bytes);
        } catch (RuntimeException e) {
            message.reject("rank " + rank + " could not copy the message: " + e);
            throw e;
        }
        message.accept();
    }

    private String mismatch(CollectiveHeader header, int peer, LocalMessage message, long bytes) {
        if (!message.header().equals(header)) {
            return "mismatched collectives: rank " + rank + " called " + header.describe()
                    + " but rank " + peer + " called " + message.header().describe();
        }
        if (message.payload().byteSize() != bytes) {
            return header.describe() + ": rank " + rank + " expected " + bytes + " bytes from rank " + peer
                    + " but it sent " + message.payload().byteSize();
        }
        return null;
    }

    private void awaitReceived(CollectiveHeader header, int peer, LocalMessage message, long deadlineNanos) {
        while (true) {
            long remaining = deadlineNanos - System.nanoTime();
            if (awaitInterruptibly(header, message, Math.max(0, Math.min(remaining, POLL_NANOS)))) {
                if (message.rejection() != null) {
                    throw new CollectiveException(message.rejection(), List.of(Math.min(rank, peer), Math.max(rank, peer)), null);
                }
                return;
            }
            CollectiveException reason = reasonToGiveUp(header, peer, remaining);
            if (reason != null) {
                throw giveUp(message, reason);
            }
        }
    }

    private CollectiveException reasonToGiveUp(CollectiveHeader header, int peer, long remainingNanos) {
        CollectiveException failure = cluster.failure();
        if (failure != null) {
            return aborted(header, failure);
        }
        if (cluster.isClosed(peer)) {
            return peerClosed(header, peer);
        }
        return remainingNanos <= 0 ? timedOut(header, peer, "receive") : null;
    }

    /**
     * Fails the group first, so that a peer that finds {@code message} withdrawn knows why, then takes the
     * message back; returns {@code reason} for the caller to throw.
     */
    private CollectiveException giveUp(LocalMessage message, CollectiveException reason) {
        cluster.abort(reason);
        awaitNotInUse(message);
        return reason;
    }

    /**
     * Before a failed call returns, the caller's memory must be out of the peer's hands: withdraw the
     * message, or, when the peer already claimed it, wait for its copy to end (it never blocks).
     */
    private static void awaitNotInUse(LocalMessage message) {
        if (message.withdraw()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (message.awaitFinished(POLL_NANOS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private LocalMessage pollInterruptibly(CollectiveHeader header, BlockingQueue<LocalMessage> mailbox, long nanos) {
        try {
            return mailbox.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectiveException(header.describe() + " on rank " + rank + ": interrupted", List.of(rank), e);
        }
    }

    private boolean awaitInterruptibly(CollectiveHeader header, LocalMessage message, long nanos) {
        try {
            return message.awaitFinished(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw giveUp(message, new CollectiveException(header.describe() + " on rank " + rank + ": interrupted", List.of(rank), e));
        }
    }

    private void throwIfAborted(CollectiveHeader header) {
        CollectiveException failure = cluster.failure();
        if (failure != null) {
            throw aborted(header, failure);
        }
    }

    private CollectiveException aborted(CollectiveHeader header, CollectiveException failure) {
        return new CollectiveException(header.describe() + " on rank " + rank + ": aborted because "
                + failure.getMessage(), failure.ranks(), failure);
    }

    private CollectiveException peerClosed(CollectiveHeader header, int peer) {
        return new CollectiveException(header.describe() + " on rank " + rank + ": rank " + peer
                + " closed its communicator", List.of(peer), null);
    }

    private CollectiveException timedOut(CollectiveHeader header, int peer, String peerAction) {
        List<Integer> notEntered = cluster.ranksNotEntered(header.sequence());
        String message = header.describe() + " on rank " + rank + ": timed out waiting for rank " + peer + " to "
                + peerAction + (notEntered.isEmpty() ? "" : "; never entered by " + describeRanks(notEntered));
        return new CollectiveException(message, notEntered.isEmpty() ? List.of(peer) : notEntered, null);
    }

    private static String describeRanks(List<Integer> ranks) {
        return (ranks.size() == 1 ? "rank " : "ranks ") + ranks.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private void checkRange(String name, int peer, MemorySegment segment, long offset, long bytes) {
        if (peer < 0 || peer >= cluster.size() || peer == rank) {
            throw new IllegalArgumentException("peer: " + peer + " is not another rank of [0, " + cluster.size() + ")");
        }
        Objects.requireNonNull(segment, name);
        if (offset < 0 || bytes < 0 || offset > segment.byteSize() - bytes) {
            throw new IllegalArgumentException(name + ": bytes [" + offset + ", " + offset + " + " + bytes
                    + ") outside its " + segment.byteSize() + " bytes");
        }
    }
}
