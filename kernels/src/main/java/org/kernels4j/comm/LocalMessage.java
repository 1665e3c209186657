package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-JVM message: the sender's memory itself (the receiver copies straight from it, so a message
 * costs one copy) plus the handshake that tells the sender when that memory may be reused.
 *
 * <p>Exactly one of claim (by the receiver) or withdraw (by a sender giving up) succeeds, so a sender
 * never returns while its memory is still being read. Thread-safe.
 */
final class LocalMessage {
    private static final int POSTED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    private final CollectiveHeader header;
    private final MemorySegment payload;
    private final AtomicInteger state = new AtomicInteger(POSTED);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String rejection;

    LocalMessage(CollectiveHeader header, MemorySegment payload) {
        this.header = header;
        this.payload = payload;
    }

    CollectiveHeader header() {
        return header;
    }

    MemorySegment payload() {
        return payload;
    }

    /** The receiver takes the message; false when the sender already withdrew it. */
    boolean claim() {
        return state.compareAndSet(POSTED, CLAIMED);
    }

    /** The sender gives up; false when a receiver has claimed it and will finish it shortly. */
    boolean withdraw() {
        return state.compareAndSet(POSTED, WITHDRAWN);
    }

    /** The receiver has copied the payload. */
    void accept() {
        finished.countDown();
    }

    /** The receiver refused the message (mismatched header or length) for {@code reason}. */
    void reject(String reason) {
        rejection = reason;
        finished.countDown();
    }

    /** Waits up to {@code nanos} for accept or reject; true when one happened. */
    boolean awaitFinished(long nanos) throws InterruptedException {
        return finished.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Why the receiver refused the message, or null when it accepted it (or has not finished). */
    String rejection() {
        return rejection;
    }
}
