package org.kernels4j.vector;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed set of daemon threads that, together with the calling thread, run the items of a parallel loop.
 *
 * <p>Each {@link #forEach} call has up to {@link #threads()} participants, numbered from 0 (the caller) so
 * that work can use per-participant buffers; participants claim items dynamically, so a slow core does not
 * hold the others back. The caller returns once every item has run, so it never waits on a helper that has
 * not started: a helper that starts late (behind another call's work) finds nothing left and ends without
 * touching any participant's buffers.
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

    private final int threads;
    private final ExecutorService helpers;
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
        this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonThreads(threadName));
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
            int id = participant;
            try {
                helpers.execute(() -> loop.participate(id));
            } catch (RejectedExecutionException e) {
                break;  // closing: the caller runs what the helpers would have
            }
        }
        loop.participate(0);
        loop.awaitAndRethrow();
    }

    /** Stops the threads; running loops finish, later calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (helpers != null) {
            helpers.shutdown();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One forEach call: the item counter, the completion latch and the first failure. */
    private static final class Loop {
        private final int count;
        private final Body body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch remaining;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Loop(int count, Body body) {
            this.count = count;
            this.body = body;
            this.remaining = new CountDownLatch(count);
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
                    remaining.countDown();
                }
            }
        }

        void awaitAndRethrow() {
            boolean interrupted = false;
            while (true) {
                try {
                    remaining.await();
                    break;
                } catch (InterruptedException e) {
                    // Helpers still use the caller's buffers until every item is done, so keep waiting.
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
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
