package org.kernels4j.comm.mpi;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.kernels4j.comm.CollectiveHeader;

/**
 * One step of a collective on the MPI transport: a send to one peer and/or a receive from one peer, each
 * a header message followed by the payload, all posted at once as nonblocking requests and then
 * completed by polling, so that the caller can give up at its deadline or on a failure.
 *
 * <p>Why a separate header message (tag {@link #HEADER_TAG}) before the payload (tag
 * {@link #PAYLOAD_TAG}) rather than a prefix of it: the payload then goes straight from the sender's
 * tensor into the receiver's, with no staging copy on either side (for large messages Open MPI's
 * shared-memory transport copies once, process to process); the header costs one small eager message,
 * whose latency overlaps the payload's because both are posted together. Why not the call's identity
 * in the tag: a mismatched call would then never match and could only time out, while a header that
 * arrives lets the receiver say at once what each side called. Messages between two ranks are matched
 * in the order they were sent, so the n-th header and payload from a peer belong to the n-th step.
 *
 * <p>A payload longer than the transport's message limit (MPI counts are ints) travels as several
 * messages. Confined to the thread that posted it.
 */
final class Exchange {
    static final int HEADER_TAG = 0;
    static final int PAYLOAD_TAG = 1;

    private final MpiLibrary mpi;
    private final Arena arena = Arena.ofConfined();
    private final int sendPeer;
    private final int receivePeer;
    private final long receiveBytes;
    private final long maxMessageBytes;
    private final int receiveMessages;
    private final int count;
    private final MemorySegment requests;
    private final MemorySegment statuses;
    private final MemorySegment incomingHeader;
    private boolean headerChecked;

    /**
     * Posts the receive (when {@code receivePeer >= 0}) and then the send (when {@code sendPeer >= 0}).
     * Segments must be native; the caller has checked peers and ranges.
     */
    Exchange(MpiLibrary mpi, MemorySegment comm, long maxMessageBytes, CollectiveHeader header,
             int sendPeer, MemorySegment source, long sendBytes, int receivePeer, MemorySegment target, long receiveBytes) {
        this.mpi = mpi;
        this.sendPeer = sendPeer;
        this.receivePeer = receivePeer;
        this.receiveBytes = receiveBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.receiveMessages = receivePeer < 0 ? 0 : 1 + messages(receiveBytes);
        int sendMessages = sendPeer < 0 ? 0 : 1 + messages(sendBytes);
        this.count = receiveMessages + sendMessages;
        this.requests = arena.allocate(ADDRESS, Math.max(count, 1));
        this.statuses = arena.allocate(MpiLibrary.STATUS_BYTES * Math.max(count, 1), 8);
        this.incomingHeader = arena.allocate(WireHeader.BYTES, 8);
        this.headerChecked = receivePeer < 0;
        for (int i = 0; i < count; i++) {
            mpi.setNull(slot(i));
        }
        int next = 0;
        if (receivePeer >= 0) {
            mpi.irecv(incomingHeader, (int) WireHeader.BYTES, receivePeer, HEADER_TAG, comm, slot(next++));
            for (long offset = 0; offset < receiveBytes; offset += maxMessageBytes) {
                mpi.irecv(target.asSlice(offset), messageLength(receiveBytes, offset), receivePeer, PAYLOAD_TAG, comm, slot(next++));
            }
        }
        if (sendPeer >= 0) {
            MemorySegment outgoingHeader = arena.allocate(WireHeader.BYTES, 8);
            WireHeader.encode(header, sendBytes, outgoingHeader);
            mpi.isend(outgoingHeader, (int) WireHeader.BYTES, sendPeer, HEADER_TAG, comm, slot(next++));
            for (long offset = 0; offset < sendBytes; offset += maxMessageBytes) {
                mpi.isend(source.asSlice(offset), messageLength(sendBytes, offset), sendPeer, PAYLOAD_TAG, comm, slot(next++));
            }
        }
    }

    /** The peer's header, once, as soon as it has arrived (before the payload has); else null. */
    WireHeader.Received pollHeader() {
        if (headerChecked || !mpi.test(slot(0), MemorySegment.NULL)) {
            return null;
        }
        headerChecked = true;
        return WireHeader.decode(incomingHeader);
    }

    /**
     * Whether every request has completed; throws {@link MpiException} for one that failed. Tests each
     * request alone (not MPI_Testall) so that completed ones are released at once and
     * {@link #waitsFor} sees exactly what is still pending.
     */
    boolean pollAll() {
        boolean all = true;
        for (int i = 0; i < count; i++) {
            if (!mpi.isNull(slot(i)) && !mpi.test(slot(i), status(i))) {
                all = false;
            }
        }
        return all;
    }

    /** After completion: the payload messages' lengths, checked against what was expected. */
    boolean receivedWhatWasExpected() {
        for (int i = 1; i < receiveMessages; i++) {
            long offset = (i - 1) * maxMessageBytes;
            if (mpi.receivedBytes(status(i)) != messageLength(receiveBytes, offset)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a request to or from {@code peer} is still pending. */
    boolean waitsFor(int peer) {
        if (peer == receivePeer && pendingIn(0, receiveMessages)) {
            return true;
        }
        return peer == sendPeer && pendingIn(receiveMessages, count);
    }

    /** Whether the receive (header or payload) is still pending: then the peer has not sent everything. */
    boolean receivePending() {
        return pendingIn(0, receiveMessages);
    }

    /**
     * Cancels what is pending and waits up to {@code graceNanos} for it to end. A receive the peer has not
     * begun to fill cancels at once; a transfer under way, or a send (Open MPI cannot cancel sends), may
     * not: those are freed and left to MPI, and this exchange's memory is kept (never freed) because MPI
     * may still use it. Returns whether everything ended; the caller's own buffers are then free again.
     */
    boolean cancel(long graceNanos) {
        for (int i = 0; i < count; i++) {
            if (!mpi.isNull(slot(i))) {
                mpi.cancel(slot(i));
            }
        }
        long deadline = System.nanoTime() + graceNanos;
        while (!pollAll()) {
            if (System.nanoTime() - deadline > 0) {
                for (int i = 0; i < count; i++) {
                    if (!mpi.isNull(slot(i))) {
                        mpi.freeRequest(slot(i));
                    }
                }
                return false;
            }
            Thread.onSpinWait();
        }
        arena.close();
        return true;
    }

    /** Frees this exchange's memory once every request has completed. */
    void close() {
        arena.close();
    }

    private boolean pendingIn(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!mpi.isNull(slot(i))) {
                return true;
            }
        }
        return false;
    }

    private int messages(long bytes) {
        return (int) ((bytes + maxMessageBytes - 1) / maxMessageBytes);
    }

    private int messageLength(long total, long offset) {
        return (int) Math.min(maxMessageBytes, total - offset);
    }

    private MemorySegment slot(int i) {
        return requests.asSlice(i * ADDRESS.byteSize(), ADDRESS.byteSize());
    }

    private MemorySegment status(int i) {
        return statuses.asSlice(i * MpiLibrary.STATUS_BYTES, MpiLibrary.STATUS_BYTES);
    }
}
