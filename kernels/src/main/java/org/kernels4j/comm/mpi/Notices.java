package org.kernels4j.comm.mpi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Out-of-band messages between the ranks of an {@link MpiTransport}, on their own tag: "the group failed,
 * because ...", "this rank closed its communicator", and a question with its answer, "what are you
 * waiting for?", with which a rank that timed out finds the rank at the end of the chain of waits. They
 * are what LocalCluster's shared state is to the local transport: a rank learns of a failure elsewhere
 * without waiting out its timeout, and can name the rank that stalled rather than the one it waited for.
 *
 * <p>One receive from any rank is always posted and is tested by {@link #poll}. A notice is at most
 * {@link #CAPACITY} bytes, below Open MPI's eager limits, so that its send completes without the peer's
 * help.
 *
 * <p>Thread safety: all methods are synchronized; MPI calls go through {@link MpiLibrary}'s lock.
 */
final class Notices {
    static final int TAG = 2;

    private static final int CAPACITY = 2048;
    private static final int MAGIC = 0x4B344A4E; // "K4JN"
    private static final int HEADER_INTS = 4;
    private static final int MAX_RANKS = 64;

    enum Kind { FAILED, CLOSED, QUERY, ANSWER }

    /**
     * @param kind    what happened
     * @param from    the rank that sent the notice
     * @param ranks   FAILED: the ranks to blame; ANSWER: the rank the sender waits for, or none
     * @param message FAILED: the failure's message; ANSWER: what the sender is doing
     */
    record Notice(Kind kind, int from, List<Integer> ranks, String message) {
    }

    private final MpiLibrary mpi;
    private final MemorySegment comm;
    private final int rank;
    private final int size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    private final MemorySegment receiveRequest;
    private final MemorySegment receiveStatus;
    private final List<MemorySegment> sendRequests = new ArrayList<>();
    private boolean closed;

    Notices(MpiLibrary mpi, MemorySegment comm, int rank, int size) {
        this.mpi = mpi;
        this.comm = comm;
        this.rank = rank;
        this.size = size;
        this.receiveBuffer = arena.allocate(CAPACITY, 8);
        this.receiveRequest = arena.allocate(ADDRESS);
        this.receiveStatus = arena.allocate(MpiLibrary.STATUS_BYTES, 8);
        postReceive();
    }

    /** The next notice that has arrived, if any. */
    synchronized Optional<Notice> poll() {
        if (closed || !mpi.test(receiveRequest, receiveStatus)) {
            return Optional.empty();
        }
        Notice notice = decode(MpiLibrary.statusSource(receiveStatus));
        postReceive();
        return Optional.of(notice);
    }

    /** Sends a notice to every other rank. */
    synchronized void sendToAll(Kind kind, List<Integer> ranks, String message) {
        if (closed || size == 1) {
            return;
        }
        MemorySegment buffer = encode(kind, ranks, message);
        for (int peer = 0; peer < size; peer++) {
            if (peer != rank) {
                send(buffer, peer);
            }
        }
    }

    /** Sends a notice to {@code peer}. */
    synchronized void sendTo(int peer, Kind kind, List<Integer> ranks, String message) {
        if (!closed) {
            send(encode(kind, ranks, message), peer);
        }
    }

    /**
     * Withdraws the posted receive and lets sends finish for up to {@code graceNanos}; sends still
     * pending then (to a peer that is gone) are left to MPI. Returns whether everything settled.
     */
    synchronized boolean close(long graceNanos) {
        if (closed) {
            return true;
        }
        closed = true;
        mpi.cancel(receiveRequest);
        List<MemorySegment> pending = new ArrayList<>(sendRequests);
        pending.add(receiveRequest);
        long deadline = System.nanoTime() + graceNanos;
        while (true) {
            pending.removeIf(request -> mpi.test(request, MemorySegment.NULL));
            if (pending.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            Thread.onSpinWait();
        }
        pending.forEach(mpi::freeRequest);
        if (pending.contains(receiveRequest)) {
            return false; // the receive buffer may still be written: keep the arena
        }
        arena.close();
        return pending.isEmpty();
    }

    private void send(MemorySegment buffer, int peer) {
        MemorySegment request = Arena.global().allocate(ADDRESS);
        mpi.isend(buffer, (int) buffer.byteSize(), peer, TAG, comm, request);
        sendRequests.add(request);
    }

    private void postReceive() {
        mpi.irecv(receiveBuffer, CAPACITY, MpiLibrary.ANY_SOURCE, TAG, comm, receiveRequest);
    }

    /** The notice's bytes, in global memory: a send to a peer that is gone may never complete. */
    private static MemorySegment encode(Kind kind, List<Integer> ranks, String message) {
        List<Integer> blamed = ranks.subList(0, Math.min(ranks.size(), MAX_RANKS));
        long messageOffset = (HEADER_INTS + (long) blamed.size()) * Integer.BYTES;
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int textLength = (int) Math.min(text.length, CAPACITY - messageOffset);
        MemorySegment buffer = Arena.global().allocate(messageOffset + textLength, 8);
        buffer.set(JAVA_INT, 0, MAGIC);
        buffer.set(JAVA_INT, 4, kind.ordinal());
        buffer.set(JAVA_INT, 8, blamed.size());
        buffer.set(JAVA_INT, 12, textLength);
        for (int i = 0; i < blamed.size(); i++) {
            buffer.set(JAVA_INT, (HEADER_INTS + (long) i) * Integer.BYTES, blamed.get(i));
        }
        MemorySegment.copy(text, 0, buffer, JAVA_BYTE, messageOffset, textLength);
        return buffer;
    }

    private Notice decode(int from) {
        int kind = receiveBuffer.get(JAVA_INT, 4);
        int rankCount = receiveBuffer.get(JAVA_INT, 8);
        int textLength = receiveBuffer.get(JAVA_INT, 12);
        long messageOffset = (HEADER_INTS + (long) rankCount) * Integer.BYTES;
        boolean wellFormed = receiveBuffer.get(JAVA_INT, 0) == MAGIC && kind >= 0 && kind < Kind.values().length
                && rankCount >= 0 && rankCount <= MAX_RANKS && textLength >= 0 && messageOffset + textLength <= CAPACITY;
        if (!wellFormed) {
            return new Notice(Kind.FAILED, from, List.of(from), "rank " + from + " sent an unrecognised notice");
        }
        Integer[] ranks = new Integer[rankCount];
        for (int i = 0; i < rankCount; i++) {
            ranks[i] = receiveBuffer.get(JAVA_INT, (HEADER_INTS + (long) i) * Integer.BYTES);
        }
        byte[] text = new byte[textLength];
        MemorySegment.copy(receiveBuffer, JAVA_BYTE, messageOffset, text, 0, textLength);
        return new Notice(Kind.values()[kind], from, List.of(ranks), new String(text, StandardCharsets.UTF_8));
    }
}
