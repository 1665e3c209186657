package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import org.kernels4j.DType;

/**
 * One running collective as the algorithms see it: the transport with this call's header and deadline
 * already bound, the reducer with this call's dtype and op, and the communicator's scratch slots, handed
 * out in order (the same algorithm asks for the same slots at every call, so they are reused).
 *
 * <p>Confined to the communicator thread that runs the call.
 */
final class CollectiveCall {
    private final Transport transport;
    private final CollectiveHeader header;
    private final long deadlineNanos;
    private final Reducer reducer;
    private final ScratchSpace scratch;
    private int scratchSlots;

    CollectiveCall(Transport transport, CollectiveHeader header, long deadlineNanos, Reducer reducer, ScratchSpace scratch) {
        this.transport = transport;
        this.header = header;
        this.deadlineNanos = deadlineNanos;
        this.reducer = reducer;
        this.scratch = scratch;
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

    /** Scratch of {@code bytes} bytes (at least one), distinct from this call's other scratch; contents undefined. */
    MemorySegment allocateScratch(long bytes) {
        return scratch.slot(scratchSlots++, bytes);
    }
}
