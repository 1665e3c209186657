package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Moves byte ranges between the ranks of one group; knows nothing of reductions (NCCL's split of
 * transport and algorithm). Offsets and lengths are in bytes; deadlines are {@link System#nanoTime()}
 * values.
 *
 * <p>Messages between one ordered pair of ranks arrive in the order they were sent. A send returns
 * when its source may be reused. Every message carries the sender's {@link CollectiveHeader}; a receive
 * whose expected header or length differs from the message fails (on both sides) with a
 * {@link CollectiveException} describing the two. Every wait ends by the deadline, or sooner when the
 * group has failed ({@link #abort}) or the peer closed; it then throws a {@link CollectiveException}
 * naming the collective, this rank and the rank(s) to blame.
 *
 * <p>Thread safety: one thread at a time per transport (the owning communicator's thread), except
 * {@link #abort}, {@link #failure} and {@link #close}, which any thread may call. Lifetime: owned by one
 * communicator, which closes it.
 */
public interface Transport extends AutoCloseable {

    int rank();

    int size();

    void send(CollectiveHeader header, int peer, MemorySegment source, long offset, long bytes, long deadlineNanos);

    void receive(CollectiveHeader header, int peer, MemorySegment target, long offset, long bytes, long deadlineNanos);

    /**
     * Sends to {@code sendPeer} and receives from {@code receivePeer} at the same time, so that a ring or
     * a pairwise exchange cannot deadlock; the two ranges must not overlap.
     */
    void sendReceive(CollectiveHeader header, int sendPeer, MemorySegment source, long sourceOffset, long sendBytes,
                     int receivePeer, MemorySegment target, long targetOffset, long receiveBytes, long deadlineNanos);

    /** Marks the whole group failed with {@code failure} (the first failure wins); pending waits end promptly. */
    void abort(CollectiveException failure);

    /** The failure the group was aborted with, if any. */
    Optional<CollectiveException> failure();

    /** Leaves the group: peers waiting for this rank fail at once instead of timing out. Idempotent. */
    @Override
    void close();
}
