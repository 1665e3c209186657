package org.kernels4j.gpu.cuda;

import java.util.Objects;

/**
 * Device time of the work a caller queues on a {@link CudaBackend} between {@link #start()} and {@link #stop()},
 * measured with two CUDA events on the backend's stream: the kernels' and device copies' time, without the host's
 * launch and synchronization overhead before the first one. Made by {@link CudaBackend#timer()}.
 *
 * <pre>{@code
 * try (CudaTimer timer = cuda.timer()) {
 *     timer.start();
 *     cuda.gemm(spec, a, b, c);
 *     timer.stop();
 *     float ms = timer.elapsedMilliseconds();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread times its own calls (work other threads queue in between is timed too).
 * {@link #close()} destroys the events; closing the backend first is allowed.
 */
public final class CudaTimer implements AutoCloseable {
    private final CudaEvent start;
    private final CudaEvent stop;
    private boolean running;
    private boolean stopped;

    CudaTimer(CudaContext context) {
        Objects.requireNonNull(context, "context");
        this.start = new CudaEvent(context, true);
        try {
            this.stop = new CudaEvent(context, true);
        } catch (RuntimeException e) {
            start.close();
            throw e;
        }
    }

    /** Marks the start on the stream, after the work queued so far. */
    public void start() {
        start.record();
        running = true;
        stopped = false;
    }

    /** Marks the stop on the stream, after the work queued since {@link #start()}. */
    public void stop() {
        if (!running) {
            throw new IllegalStateException("timer: stop() without a start()");
        }
        stop.record();
        running = false;
        stopped = true;
    }

    /** Device milliseconds from the last start to the last stop (resolution about half a microsecond); waits for the stop. */
    public float elapsedMilliseconds() {
        if (!stopped) {
            throw new IllegalStateException("timer: elapsedMilliseconds() needs a start() and a stop() first");
        }
        return stop.millisecondsSince(start);
    }

    @Override
    public void close() {
        start.close();
        stop.close();
    }
}
