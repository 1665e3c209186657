package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/** Ranks that fail, stall, abort, close or disagree: the others must fail promptly and stay poisoned. */
class FailureTest {
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(20);

    @Test
    @Timeout(15)
    void aRankThatThrowsFailsTheOthersAtOnce() throws Exception {
        List<Communicator> comms = LocalCluster.create(4, CommunicatorOptions.defaults().withTimeout(LONG_TIMEOUT));
        try (Tensor buffer = Tensor.allocate(DType.FP32, 10); Tensor wrongSize = Tensor.allocate(DType.FP32, 11)) {
            long start = System.nanoTime();
            List<CompletableFuture<Void>> others = startAllReduceOn(comms, 1, 10);
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> comms.get(1).allReduce(buffer, wrongSize, ReduceOp.SUM));
            for (CompletableFuture<Void> other : others) {
                CollectiveException failure = failureOf(other);
                assertTrue(failure.getMessage().contains("allReduce") && failure.getMessage().contains("rank 1")
                        && failure.getMessage().contains(thrown.getMessage()), failure.getMessage());
                assertEquals(List.of(1), failure.ranks());
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "peers waited for the timeout");
            assertAllPoisoned(comms);
        } finally {
            Ranks.closeAll(comms);
        }
    }

    @Test
    @Timeout(15)
    void aRankThatStallsTimesTheOthersOutNamingIt() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        Ranks.withCluster(LocalCluster.create(4, CommunicatorOptions.defaults().withTimeout(timeout)), comms -> {
            long start = System.nanoTime();
            List<CompletableFuture<Void>> others = startAllReduceOn(comms, 2, 1000);
            for (CompletableFuture<Void> other : others) {
                CollectiveException failure = failureOf(other);
                assertTrue(failure.getMessage().contains("allReduce") && failure.getMessage().contains("rank 2")
                        && failure.getMessage().contains("timed out"), failure.getMessage());
                assertEquals(List.of(2), failure.ranks());
            }
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < timeout.toNanos() + TimeUnit.SECONDS.toNanos(3), "took " + elapsed / 1_000_000 + " ms");
            assertAllPoisoned(comms);
        });
    }

    @Test
    @Timeout(15)
    void anAbortingRankFailsThePendingCallsOfTheOthers() throws Exception {
        Ranks.withCluster(LocalCluster.create(3, CommunicatorOptions.defaults().withTimeout(LONG_TIMEOUT)), comms -> {
            List<CompletableFuture<Void>> others = startAllReduceOn(comms, 2, 5);
            comms.get(2).abort(new OutOfMemoryError("simulated"));
            for (CompletableFuture<Void> other : others) {
                CollectiveException failure = failureOf(other);
                assertTrue(failure.getMessage().contains("rank 2") && failure.getMessage().contains("simulated"), failure.getMessage());
                assertEquals(List.of(2), failure.ranks());
            }
            assertAllPoisoned(comms);
        });
    }

    @Test
    @Timeout(15)
    void aClosedPeerFailsCallsAtOnce() throws Exception {
        List<Communicator> comms = LocalCluster.create(2, CommunicatorOptions.defaults().withTimeout(LONG_TIMEOUT));
        try (Tensor buffer = Tensor.allocate(DType.FP32, 4)) {
            comms.get(1).close();
            CollectiveException failure = assertThrows(CollectiveException.class,
                    () -> comms.get(0).allReduce(buffer, buffer, ReduceOp.SUM));
            assertTrue(failure.getMessage().contains("rank 1 closed"), failure.getMessage());
            assertThrows(IllegalStateException.class, () -> comms.get(1).barrier());
        } finally {
            Ranks.closeAll(comms);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"RING", "RECURSIVE_DOUBLING", "TREE"})
    @Timeout(15)
    void mismatchedCountsAreReportedNotReduced(Algorithm algorithm) throws Exception {
        List<Communicator> comms = LocalCluster.create(3,
                CommunicatorOptions.defaults().withTimeout(LONG_TIMEOUT).withAlgorithm(algorithm));
        List<Tensor> buffers = List.of(Tensor.allocate(DType.FP32, 10), Tensor.allocate(DType.FP32, 12), Tensor.allocate(DType.FP32, 10));
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                try {
                    calls.add(comms.get(r).allReduceAsync(buffers.get(r), buffers.get(r), ReduceOp.SUM));
                } catch (IllegalStateException lateRank) {
                    // The ranks called before it may have found the mismatch already: the group is poisoned.
                    assertTrue(lateRank.getMessage().contains("poisoned"), lateRank.getMessage());
                    calls.add(CompletableFuture.failedFuture(assertInstanceOf(CollectiveException.class, lateRank.getCause())));
                }
            }
            boolean reported = false;
            for (CompletableFuture<Void> call : calls) {
                String message = failureOf(call).getMessage();
                reported |= message.contains("mismatched") && message.contains("count 10") && message.contains("count 12");
            }
            assertTrue(reported, "no rank reported the mismatch");
            assertAllPoisoned(comms);
        } finally {
            Ranks.closeAll(buffers);
            Ranks.closeAll(comms);
        }
    }

    @Test
    @Timeout(15)
    void mismatchedDtypesAreReported() throws Exception {
        List<Communicator> comms = LocalCluster.create(2, CommunicatorOptions.defaults().withTimeout(LONG_TIMEOUT));
        try (Tensor fp32 = Tensor.allocate(DType.FP32, 8); Tensor bf16 = Tensor.allocate(DType.BF16, 8)) {
            CompletableFuture<Void> first = comms.get(0).allReduceAsync(fp32, fp32, ReduceOp.SUM);
            CompletableFuture<Void> second = comms.get(1).allReduceAsync(bf16, bf16, ReduceOp.SUM);
            String message = failureOf(first).getMessage() + " / " + failureOf(second).getMessage();
            assertTrue(message.contains("FP32") && message.contains("BF16") && message.contains("mismatched"), message);
        } finally {
            Ranks.closeAll(comms);
        }
    }

    @Test
    @Timeout(5)
    void theDefaultTimeoutIsFiveMinutes() {
        assertEquals(Duration.ofMinutes(5), CommunicatorOptions.defaults().timeout());
    }

    /** Starts an all-reduce of {@code count} FP32 elements on every rank except {@code skipped}. */
    private static List<CompletableFuture<Void>> startAllReduceOn(List<Communicator> comms, int skipped, int count) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int r = 0; r < comms.size(); r++) {
            if (r != skipped) {
                Tensor buffer = Tensor.allocate(DType.FP32, count);
                calls.add(comms.get(r).allReduceAsync(buffer, buffer, ReduceOp.SUM).whenComplete((ok, e) -> buffer.close()));
            }
        }
        return calls;
    }

    private static CollectiveException failureOf(CompletableFuture<Void> call) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(CollectiveException.class, e.getCause());
    }

    private static void assertAllPoisoned(List<Communicator> comms) {
        for (Communicator comm : comms) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, comm::barrier);
            assertTrue(e.getMessage().contains("poisoned"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "poisoned call did not fail at once");
        }
    }
}
