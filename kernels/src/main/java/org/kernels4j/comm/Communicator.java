package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * One rank's handle on a group of ranks that run collectives together: every rank must call the same
 * collectives, in the same order, with the same count, dtype, op and root.
 *
 * <p>Buffers are contiguous {@link Tensor}s; only the element count matters, not the shape. Where a
 * call takes {@code in} and {@code out}, passing the same buffer means in place; other overlaps are
 * rejected. Results are bitwise identical on all ranks and repeatable for a given algorithm, count and
 * rank count. FP16/BF16 are combined in FP32 and rounded back (to nearest even) after every combining
 * step ("hop"); INT8/INT32 wrap; AVG sums, then divides once.
 *
 * <p>Failure: a call that fails on any rank (bad arguments, a peer's failure, a timeout after
 * {@link CommunicatorOptions#timeout()}, a mismatch with a peer's call) throws here and on every peer,
 * and poisons the whole group: later calls throw {@link IllegalStateException} at once. Argument errors
 * throw {@link IllegalArgumentException} from the call itself (the async variants too) and still poison
 * the group, because the peers are already waiting for this rank.
 *
 * <p>Thread safety: any thread may call; calls run one after another, in the order they were made. A
 * blocking call runs on the caller's thread when no call is queued before it (handing it to another
 * thread and waking the caller afterwards costs a scheduler wake-up each way, which on a busy machine
 * is a large part of a mid-size collective); otherwise, and always for the {@code ...Async} variants,
 * calls run on this communicator's own thread, which also completes the returned futures (so a long
 * dependent action should use an {@code ...Async} continuation, or it delays the next collective).
 * Interrupting a thread that runs a call fails the call, and so the group.
 *
 * <p>Lifetime: tensors passed to a call must stay open and unchanged (the outputs untouched) until it
 * completes; {@link #close()} ends the communicator, failing the group if
 * calls are still pending.
 */
public final class Communicator implements AutoCloseable {
    private final Transport transport;
    private final CommunicatorOptions options;
    private final ExecutorService worker;
    private final ScratchSpace scratch = new ScratchSpace();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    /** Held by whichever thread runs a call: the caller's or the worker. */
    private final ReentrantLock running = new ReentrantLock();
    private long nextSequence;

    private Communicator(Transport transport, CommunicatorOptions options) {
        this.transport = transport;
        this.options = options;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "k4j-comm-rank-" + transport.rank());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A communicator over {@code transport}, which it owns and closes. */
    public static Communicator create(Transport transport, CommunicatorOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(options, "options");
        return new Communicator(transport, options);
    }

    public int rank() {
        return transport.rank();
    }

    public int size() {
        return transport.size();
    }

    public CommunicatorOptions options() {
        return options;
    }

    /** Every rank's {@code out} becomes the element-wise reduction of all ranks' {@code in}, with the default algorithm. */
    public void allReduce(Tensor in, Tensor out, ReduceOp op) {
        allReduce(in, out, op, options.algorithm());
    }

    /** As {@link #allReduce(Tensor, Tensor, ReduceOp)} with {@code algorithm}; all ranks must pass the same. */
    public void allReduce(Tensor in, Tensor out, ReduceOp op, Algorithm algorithm) {
        join(allReduce(in, out, op, algorithm, Execution.CALLER));
    }

    public CompletableFuture<Void> allReduceAsync(Tensor in, Tensor out, ReduceOp op) {
        return allReduceAsync(in, out, op, options.algorithm());
    }

    public CompletableFuture<Void> allReduceAsync(Tensor in, Tensor out, ReduceOp op, Algorithm algorithm) {
        return allReduce(in, out, op, algorithm, Execution.WORKER);
    }

    private CompletableFuture<Void> allReduce(Tensor in, Tensor out, ReduceOp op, Algorithm algorithm, Execution execution) {
        return start(execution, Collective.ALL_REDUCE, () -> {
            checkReduction(in, out, op);
            Objects.requireNonNull(algorithm, "algorithm");
            checkSameCount("out", out, "in", in.elementCount());
            checkInPlaceOrDisjoint(in, out);
            return header(Collective.ALL_REDUCE, in.dtype(), in.elementCount(), op, -1);
        }, call -> {
            long count = in.elementCount();
            MemorySegment buffer = out.segment();
            switch (algorithm.forAllReduce(call.bytesOf(count), size())) {
                case RING -> Ring.allReduce(call, in.segment(), buffer, count);
                case HALVING_DOUBLING -> HalvingDoubling.allReduce(call, in.segment(), buffer, count);
                case RECURSIVE_DOUBLING -> {
                    copyIfDistinct(call, in.segment(), buffer, count);
                    RecursiveDoubling.allReduce(call, buffer, count);
                }
                case TREE -> {
                    BinomialTree.reduce(call, in.segment(), buffer, count, 0);
                    BinomialTree.broadcast(call, buffer, count, 0);
                }
                case AUTO -> throw new AssertionError("forAllReduce resolves AUTO");
            }
        });
    }

    /**
     * {@code in} holds {@code size()} blocks of {@code out.elementCount()} elements; rank r's {@code out}
     * becomes the reduction of all ranks' block r (ring algorithm).
     */
    public void reduceScatter(Tensor in, Tensor out, ReduceOp op) {
        join(reduceScatter(in, out, op, Execution.CALLER));
    }

    public CompletableFuture<Void> reduceScatterAsync(Tensor in, Tensor out, ReduceOp op) {
        return reduceScatter(in, out, op, Execution.WORKER);
    }

    private CompletableFuture<Void> reduceScatter(Tensor in, Tensor out, ReduceOp op, Execution execution) {
        return start(execution, Collective.REDUCE_SCATTER, () -> {
            checkReduction(in, out, op);
            checkSameCount("in", in, "size() × out", Math.multiplyExact(out.elementCount(), (long) size()));
            checkDisjoint(in, out);
            return header(Collective.REDUCE_SCATTER, in.dtype(), out.elementCount(), op, -1);
        }, call -> {
            long count = out.elementCount();
            BlockPartition blocks = new BlockPartition(count * size(), size(), in.dtype().byteSize());
            Ring.reduceScatter(call, in.segment(), blocks, out.segment(), 0);
            call.finishAverage(out.segment(), 0, count);
        });
    }

    /** Every rank's {@code out} becomes all ranks' {@code in} one after another, in rank order (ring algorithm). */
    public void allGather(Tensor in, Tensor out) {
        join(allGather(in, out, Execution.CALLER));
    }

    public CompletableFuture<Void> allGatherAsync(Tensor in, Tensor out) {
        return allGather(in, out, Execution.WORKER);
    }

    private CompletableFuture<Void> allGather(Tensor in, Tensor out, Execution execution) {
        return start(execution, Collective.ALL_GATHER, () -> {
            checkPair(in, out);
            checkSameCount("out", out, "size() × in", Math.multiplyExact(in.elementCount(), (long) size()));
            checkDisjoint(in, out);
            return header(Collective.ALL_GATHER, in.dtype(), in.elementCount(), null, -1);
        }, call -> {
            long count = in.elementCount();
            BlockPartition blocks = new BlockPartition(count * size(), size(), in.dtype().byteSize());
            MemorySegment.copy(in.segment(), 0, out.segment(), blocks.byteOffset(rank()), blocks.byteLength(rank()));
            Ring.allGather(call, out.segment(), blocks);
        });
    }

    /** Every rank's {@code buffer} becomes rank {@code root}'s (binomial tree). */
    public void broadcast(Tensor buffer, int root) {
        join(broadcast(buffer, root, Execution.CALLER));
    }

    public CompletableFuture<Void> broadcastAsync(Tensor buffer, int root) {
        return broadcast(buffer, root, Execution.WORKER);
    }

    private CompletableFuture<Void> broadcast(Tensor buffer, int root, Execution execution) {
        return start(execution, Collective.BROADCAST, () -> {
            checkTensor("buffer", buffer);
            checkRoot(root);
            return header(Collective.BROADCAST, buffer.dtype(), buffer.elementCount(), null, root);
        }, call -> BinomialTree.broadcast(call, buffer.segment(), buffer.elementCount(), root));
    }

    /**
     * Rank {@code root}'s {@code out} becomes the reduction of all ranks' {@code in} (binomial tree); every
     * rank passes an {@code out} of matching count and dtype, but only the root's is written.
     */
    public void reduce(Tensor in, Tensor out, ReduceOp op, int root) {
        join(reduce(in, out, op, root, Execution.CALLER));
    }

    public CompletableFuture<Void> reduceAsync(Tensor in, Tensor out, ReduceOp op, int root) {
        return reduce(in, out, op, root, Execution.WORKER);
    }

    private CompletableFuture<Void> reduce(Tensor in, Tensor out, ReduceOp op, int root, Execution execution) {
        return start(execution, Collective.REDUCE, () -> {
            checkReduction(in, out, op);
            checkSameCount("out", out, "in", in.elementCount());
            checkInPlaceOrDisjoint(in, out);
            checkRoot(root);
            return header(Collective.REDUCE, in.dtype(), in.elementCount(), op, root);
        }, call -> BinomialTree.reduce(call, in.segment(), out.segment(), in.elementCount(), root));
    }

    /** Returns once every rank has entered its matching barrier. */
    public void barrier() {
        join(barrier(Execution.CALLER));
    }

    public CompletableFuture<Void> barrierAsync() {
        return barrier(Execution.WORKER);
    }

    private CompletableFuture<Void> barrier(Execution execution) {
        return start(execution, Collective.BARRIER, () -> header(Collective.BARRIER, null, 0, null, -1), DisseminationBarrier::await);
    }

    /**
     * Declares this rank failed for {@code reason} (e.g. the caller's own exception): every rank's pending
     * and later calls fail, naming this rank. Idempotent; the first failure of the group is kept.
     */
    public void abort(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        transport.abort(new CollectiveException("rank " + rank() + " aborted: " + reason, List.of(rank()), reason));
    }

    /**
     * Ends this communicator. With calls still pending the group is aborted (their peers would otherwise
     * wait out the timeout); without, peers that still try to reach this rank fail at once. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (pending.get() > 0) {
            transport.abort(new CollectiveException("rank " + rank() + " closed its communicator with "
                    + pending.get() + " collective(s) pending", List.of(rank()), null));
        }
        // No waiting for the worker: close() may run on it (from a future's callback), and any call still
        // queued fails at once against the aborted group.
        worker.shutdown();
        transport.close();
        scratch.close();
    }

    private interface Validation {
        CollectiveHeader run();
    }

    private interface Body {
        void run(CollectiveCall call);
    }

    /** Where a call runs. */
    private enum Execution {
        /** On the caller's thread when nothing is queued before it (no hand-off, no wake-up), else queued and awaited. */
        CALLER,
        /** Queued for this communicator's thread. */
        WORKER
    }

    /**
     * Checks the arguments in the caller's thread (a rejected call fails the group too, see the class
     * doc), then runs the call or queues it. The monitor makes sequence numbers follow the order of
     * execution: a call that runs here holds {@link #running} before the monitor is released, so a call
     * queued after it waits for it.
     */
    private CompletableFuture<Void> start(Execution execution, Collective collective, Validation validation, Body body) {
        CollectiveHeader header;
        synchronized (this) {
            checkUsable();
            try {
                header = validation.run();
            } catch (RuntimeException e) {
                transport.abort(new CollectiveException(collective.methodName() + " #" + nextSequence + " failed on rank "
                        + rank() + ": " + e.getMessage(), List.of(rank()), e));
                throw e;
            }
            if (execution == Execution.WORKER || pending.get() > 0 || !running.tryLock()) {
                return submit(header, body);
            }
            pending.incrementAndGet();
        }
        try {
            run(header, body);
        } finally {
            running.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    private CollectiveHeader header(Collective collective, DType dtype, long count, ReduceOp op, int root) {
        return new CollectiveHeader(collective, nextSequence++, dtype, count, op, root);
    }

    private CompletableFuture<Void> submit(CollectiveHeader header, Body body) {
        pending.incrementAndGet();
        try {
            return CompletableFuture.runAsync(() -> {
                running.lock();
                try {
                    run(header, body);
                } finally {
                    running.unlock();
                }
            }, worker);
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw new IllegalStateException("communicator of rank " + rank() + " is closed", e);
        }
    }

    private void run(CollectiveHeader header, Body body) {
        try {
            throwIfGroupFailed(header);
            long deadline = System.nanoTime() + options.timeout().toNanos();
            body.run(new CollectiveCall(transport, header, deadline, options.reducer(), scratch));
        } catch (CollectiveException e) {
            transport.abort(e);
            throw e;
        } catch (RuntimeException | Error e) {
            transport.abort(new CollectiveException(header.describe() + " failed on rank " + rank() + ": " + e,
                    List.of(rank()), e));
            throw e;
        } finally {
            pending.decrementAndGet();
        }
    }

    /** A call queued before the group failed fails like a running one: naming the collective and the cause. */
    private void throwIfGroupFailed(CollectiveHeader header) {
        transport.failure().ifPresent(failure -> {
            throw new CollectiveException(header.describe() + " on rank " + rank() + ": aborted because "
                    + failure.getMessage(), failure.ranks(), failure);
        });
    }

    private void checkUsable() {
        if (closed.get()) {
            throw new IllegalStateException("communicator of rank " + rank() + " is closed");
        }
        transport.failure().ifPresent(failure -> {
            throw new IllegalStateException("communicator of rank " + rank() + " is poisoned: " + failure.getMessage(), failure);
        });
    }

    private static void join(CompletableFuture<Void> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void copyIfDistinct(CollectiveCall call, MemorySegment in, MemorySegment out, long count) {
        if (in.address() != out.address()) {
            MemorySegment.copy(in, 0, out, 0, call.bytesOf(count));
        }
    }

    private static void checkReduction(Tensor in, Tensor out, ReduceOp op) {
        checkPair(in, out);
        Objects.requireNonNull(op, "op");
        op.checkSupports(in.dtype());
    }

    private static void checkPair(Tensor in, Tensor out) {
        checkTensor("in", in);
        checkTensor("out", out);
        if (in.dtype() != out.dtype()) {
            throw new IllegalArgumentException("out: dtype " + out.dtype() + " differs from in's " + in.dtype());
        }
    }

    private static void checkTensor(String name, Tensor tensor) {
        Objects.requireNonNull(tensor, name);
        if (!tensor.isContiguous()) {
            throw new IllegalArgumentException(name + ": " + tensor + " is not contiguous");
        }
        tensor.segment(); // throws IllegalStateException when the tensor is closed
    }

    private static void checkSameCount(String name, Tensor tensor, String expectedName, long expected) {
        if (tensor.elementCount() != expected) {
            throw new IllegalArgumentException(name + ": " + tensor.elementCount() + " elements, but " + expectedName
                    + " has " + expected);
        }
    }

    private void checkRoot(int root) {
        if (root < 0 || root >= size()) {
            throw new IllegalArgumentException("root: " + root + " outside [0, " + size() + ")");
        }
    }

    private static void checkInPlaceOrDisjoint(Tensor in, Tensor out) {
        if (in.segment().address() != out.segment().address()) {
            checkDisjoint(in, out);
        }
    }

    private static void checkDisjoint(Tensor in, Tensor out) {
        if (elements(in).asOverlappingSlice(elements(out)).isPresent()) {
            throw new IllegalArgumentException("out: " + out + " overlaps in " + in
                    + (in.elementCount() == out.elementCount() ? " without being the same buffer" : ""));
        }
    }

    private static MemorySegment elements(Tensor tensor) {
        return tensor.segment().asSlice(0, tensor.elementCount() * tensor.dtype().byteSize());
    }
}
