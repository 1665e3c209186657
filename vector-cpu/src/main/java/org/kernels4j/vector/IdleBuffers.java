package org.kernels4j.vector;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Buffers kept from one call to the next, so that calls in steady state allocate none: each call takes an idle set
 * (or a new one when all are in use by concurrent calls) and gives it back when it ends, even by an exception.
 *
 * <p>Thread safety: {@link #use} may be called from several threads at once; each call has its set to itself.
 *
 * @param <B> the buffers of one call
 */
public final class IdleBuffers<B> {
    private final ConcurrentLinkedQueue<B> idle = new ConcurrentLinkedQueue<>();
    private final Supplier<B> create;

    /** @param create makes a new set when none is idle */
    public IdleBuffers(Supplier<B> create) {
        this.create = Objects.requireNonNull(create, "create");
    }

    /** Runs {@code call} with a set of buffers that no other call uses meanwhile. */
    public void use(Consumer<B> call) {
        Objects.requireNonNull(call, "call");
        B buffers = idle.poll();
        if (buffers == null) {
            buffers = create.get();
        }
        try {
            call.accept(buffers);
        } finally {
            idle.offer(buffers);
        }
    }
}
