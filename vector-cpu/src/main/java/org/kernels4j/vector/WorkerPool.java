package org.kernels4j.vector;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that, together with the calling thread, run the items of a parallel loop.
 *
 * <p>Each {@link #forEach} call has up to {@link #threads()} participants, numbered from 0 (the caller) so
 * that work can use per-participant buffers; participants claim items dynamically, so a slow core does not
 * hold the others back. The caller returns once every item has run, so it never waits on a helper that has
 * not started: a helper that starts late (behind another call's work) finds nothing left and ends without
 * touching any participant's buffers.
 *
 * <p>Idle helpers and a caller waiting for the last items spin for {@value #SPIN_NANOS} ns before they park.
 * A GEMM call runs two loops back to back (packing, then the kernels) and callers often issue calls back to
 * back; waking a parked thread took tens of microseconds on the 2-core VMs measured, as long as a whole
 * 256³ multiply on one core, while a spinning thread picks the work up in well under one.
 *
 * <p>Thread safety: {@code forEach} may be called from several threads at once; {@link #close()} must not race
 * with calls.
 */
public final class WorkerPool implements AutoCloseable {
    /** The body of a parallel loop. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs one item.
         *
         * @param item        the item, in [0, count)
         * @param participant who runs it, in [0, threads()); one participant runs one item at a time
         */
        void run(int item, int participant);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Helper[] helpers;
    private final ConcurrentLinkedQueue<Participation> work = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /**
     * @param threads    participants per loop, the caller included (at least 1)
     * @param threadName name prefix of the pool's threads
     */
    public WorkerPool(int threads, String threadName) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " is less than 1");
        }
        if (threadName == null || threadName.isBlank()) {
            throw new IllegalArgumentException("threadName: must not be blank, was '" + threadName + "'");
        }
        this.threads = threads;
        this.helpers = new Helper[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper();
            Thread thread = new Thread(helpers[i]::serve, threadName + "-" + (i + 1));
            thread.setDaemon(true);
            helpers[i].thread = thread;
            thread.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} for every item in [0, count) and returns when all have run; the first exception an
     * item throws is rethrown here (later items are skipped once one has failed).
     */
    public void forEach(int count, Body body) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " is negative");
        }
        if (body == null) {
            throw new IllegalArgumentException("body: must not be null");
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int participants = Math.min(threads, count);
        if (participants <= 1) {
            for (int item = 0; item < count; item++) {
                body.run(item, 0);
            }
            return;
        }
        Loop loop = new Loop(count, body);
        for (int participant = 1; participant < participants; participant++) {
            work.offer(new Participation(loop, participant));
        }
        for (Helper helper : helpers) {
            helper.wake();
        }
        loop.participate(0);
        loop.awaitAndRethrow();
    }

    /** Stops the threads; running loops finish, later calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Helper helper : helpers) {
            helper.wake();
        }
    }

    /** One helper's share of a loop: the loop and the participant number it runs as. */
    private record Participation(Loop loop, int participant) {
    }

    /** A pool thread: takes participations off the queue, spinning a while when there are none, then parking. */
    private final class Helper {
        Thread thread;
        /** Set before the helper parks and cleared by whoever wakes it, so that only a parked helper costs an unpark. */
        private volatile boolean parked;

        void serve() {
            long idleSince = System.nanoTime();
            while (!closed) {
                Participation next = work.poll();
                if (next != null) {
                    next.loop().participate(next.participant());
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    // Work offered before the flag was set was not followed by a wake: look again before parking.
                    if (work.isEmpty() && !closed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }

        void wake() {
            if (parked) {
                parked = false;
                LockSupport.unpark(thread);
            }
        }
    }

    /** One forEach call: the item counter, the count of unfinished items and the first failure. */
    private static final class Loop {
        private final int count;
        private final Body body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger remaining;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();
        /** Set while the caller is parked waiting, so that the participant finishing the last item wakes it. */
        private volatile boolean callerParked;

        Loop(int count, Body body) {
            this.count = count;
            this.body = body;
            this.remaining = new AtomicInteger(count);
        }

        void participate(int participant) {
            for (int item = next.getAndIncrement(); item < count; item = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.run(item, participant);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (remaining.decrementAndGet() == 0 && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitAndRethrow() {
            // Helpers still use the caller's buffers until every item is done, so interrupts do not end the wait.
            long start = System.nanoTime();
            while (remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (remaining.get() > 0) {
                        LockSupport.park(this);
                    }
                    callerParked = false;
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
