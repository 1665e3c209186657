package org.kernels4j.gpu.cuda;

import java.util.Objects;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

/**
 * A CUDA event of one context: recorded on the context's stream, it completes when the work queued before it has
 * run. Timing events measure device time between two of them; the others (the staging buffer's) only order work.
 *
 * <p>Not thread-safe: one owner records and waits on it. {@link #close()} destroys it.
 */
final class CudaEvent implements AutoCloseable {
    private final CudaContext context;
    private final CUevent event = new CUevent();
    private final boolean timing;
    private boolean recorded;
    private boolean closed;

    CudaEvent(CudaContext context, boolean timing) {
        this.context = Objects.requireNonNull(context, "context");
        this.timing = timing;
        context.makeCurrent();
        CudaException.check(JCudaDriver.cuEventCreate(event, timing ? CUevent_flags.CU_EVENT_DEFAULT
                : CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    }

    /** Records the event after the work queued so far on the context's stream. */
    void record() {
        checkOpen();
        context.recordOnStream(event);
        recorded = true;
    }

    /** Waits until the work before the last {@link #record()} has run (at once when never recorded). */
    void synchronize() {
        checkOpen();
        if (recorded) {
            context.makeCurrent();
            CudaException.check(JCudaDriver.cuEventSynchronize(event), "cuEventSynchronize");
        }
    }

    /** Milliseconds of device time from {@code start} to this event, waiting for this one; both timing events. */
    float millisecondsSince(CudaEvent start) {
        Objects.requireNonNull(start, "start");
        if (!timing || !start.timing) {
            throw new IllegalArgumentException("start: elapsed time needs two timing events");
        }
        if (!recorded || !start.recorded) {
            throw new IllegalStateException("both events must be recorded before their elapsed time is read");
        }
        synchronize();
        float[] milliseconds = new float[1];
        CudaException.check(JCudaDriver.cuEventElapsedTime(milliseconds, start.event, event), "cuEventElapsedTime");
        return milliseconds[0];
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!context.isClosed()) {
                context.makeCurrent();
                JCudaDriver.cuEventDestroy(event);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA event is closed");
        }
    }
}
