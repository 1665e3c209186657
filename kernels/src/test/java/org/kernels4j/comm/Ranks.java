package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/** Test helpers: tensors from values, one call on every rank at once, and cross-rank bit comparison. */
final class Ranks {
    private Ranks() {
    }

    static Tensor tensor(DType dtype, double[] values) {
        Tensor t = Tensor.allocate(dtype, values.length);
        for (int i = 0; i < values.length; i++) {
            dtype.write(t.segment(), i, values[i]);
        }
        return t;
    }

    /** Starts {@code call} on every rank (async variants) and waits for all; fails the test after 20 s. */
    static void onAll(List<Communicator> comms, BiFunction<Integer, Communicator, CompletableFuture<Void>> call) throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = 0; r < comms.size(); r++) {
            futures.add(call.apply(r, comms.get(r)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    }

    static void assertSameBitsOnAllRanks(List<Tensor> outputs, String context) {
        MemorySegment first = bytes(outputs.get(0));
        for (int r = 1; r < outputs.size(); r++) {
            assertEquals(-1, first.mismatch(bytes(outputs.get(r))), context + ": rank " + r + " differs from rank 0 at byte");
        }
    }

    static MemorySegment bytes(Tensor t) {
        return t.segment().asSlice(0, t.elementCount() * t.dtype().byteSize());
    }

    /** A test body that runs against one cluster's communicators. */
    @FunctionalInterface
    interface ClusterBody {
        void run(List<Communicator> comms) throws Exception;
    }

    /** Runs {@code body} on {@code comms} and closes them afterwards, whatever the body does. */
    static void withCluster(List<Communicator> comms, ClusterBody body) throws Exception {
        try {
            body.run(comms);
        } finally {
            closeAll(comms);
        }
    }

    static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
        for (AutoCloseable c : resources) {
            c.close();
        }
    }
}
