package org.kernels4j.comm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.kernels4j.DType;

/**
 * One running collective as the algorithms see it: the transport with this call's header and deadline
 * already bound, the reducer with this call's dtype and op, and scratch memory freed when the call ends.
 *
 * <p>Confined to the communicator thread that runs the call; scratch lives until {@link #close()}. The
 * scratch arena is shared because, on the local transport, a peer's thread copies out of it.
 */
final class CollectiveCall implements AutoCloseable {
    private final Transport transport;
    private final CollectiveHeader header;
    private final long deadlineNanos;
    private final Reducer reducer;
    private Arena scratch;

    CollectiveCall(Transport transport, CollectiveHeader header, long deadlineNanos, Reducer reducer) {
        this.transport = transport;
        this.header = header;
        this.deadlineNanos = deadlineNanos;
        this.reducer = reducer;
    }

    int rank() {
        return transport.rank();
    }

    int size() {
        return transport.size();
    }

    DType dtype() {
        return header.dtype();
    }

    long bytesOf(long elements) {
        return elements * header.dtype().byteSize();
    }

    void send(int peer, MemorySegment source, long offset, long bytes) {
        transport.send(header, peer, source, offset, bytes, deadlineNanos);
    }

    void receive(int peer, MemorySegment target, long offset, long bytes) {
        transport.receive(header, peer, target, offset, bytes, deadlineNanos);
    }

    void sendReceive(int sendPeer, MemorySegment source, long sourceOffset, long sendBytes,
                     int receivePeer, MemorySegment target, long targetOffset, long receiveBytes) {
        transport.sendReceive(header, sendPeer, source, sourceOffset, sendBytes,
                receivePeer, target, targetOffset, receiveBytes, deadlineNanos);
    }

    /** {@code dst[i] = dst[i] op src[i]} with this call's dtype and op (offsets in bytes). */
    void reduce(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
        reducer.reduce(header.dtype(), header.op(), src, srcOffset, dst, dstOffset, count);
    }

    /** For AVG, divides a fully reduced range by the rank count (once, by the rank that owns it); else nothing. */
    void finishAverage(MemorySegment segment, long offset, long count) {
        if (header.op() == ReduceOp.AVG && size() > 1) {
            reducer.divide(header.dtype(), segment, offset, count, size());
        }
    }

    /** Uninitialized scratch of {@code bytes} bytes, valid until the call ends. */
    MemorySegment allocateScratch(long bytes) {
        if (scratch == null) {
            scratch = Arena.ofShared();
        }
        return scratch.allocate(Math.max(bytes, 1), 64);
    }

    @Override
    public void close() {
        if (scratch != null) {
            scratch.close();
        }
    }
}
