package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/** Reduce-scatter, all-gather, broadcast, reduce and barrier against the reference, for every rank count. */
class CollectivesTest {
    /** A blocking collective runs on its caller's thread, so every rank needs one of its own (the common pool may have one thread). */
    private static final Executor THREAD_PER_RANK = task -> Thread.ofPlatform().daemon().start(task);

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(30)
    void reduceScatterGivesEachRankItsBlockOfTheReduction(int ranks) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            for (DType dtype : DType.values()) {
                for (ReduceOp op : ReduceOp.values()) {
                    if (!op.supports(dtype)) {
                        continue;
                    }
                    for (int block : new int[] {0, 1, 5}) {
                        String context = ranks + " ranks, " + dtype + " " + op + ", block " + block;
                        double[][] inputs = Fill.RANDOM.generate(dtype, op, ranks, block * ranks, block + 17L * ranks);
                        double[] reference = Reference.reduce(dtype, op, inputs);
                        List<Tensor> ins = tensors(dtype, inputs);
                        List<Tensor> outs = zeros(dtype, ranks, block);
                        Ranks.onAll(comms, (r, comm) -> comm.reduceScatterAsync(ins.get(r), outs.get(r), op));
                        for (int r = 0; r < ranks; r++) {
                            assertArrayEquals(inputs[r], ins.get(r).toDoubleArray(), context + ": rank " + r + "'s input changed");
                            double[] actual = outs.get(r).toDoubleArray();
                            for (int i = 0; i < block; i++) {
                                int element = r * block + i;
                                double bound = Reference.tolerance(dtype, op, inputs, element, reference[element], Fill.RANDOM);
                                if (!(Math.abs(actual[i] - reference[element]) <= bound)) {
                                    fail(context + ": rank " + r + " element " + i + " is " + actual[i]
                                            + ", reference " + reference[element] + ", bound " + bound);
                                }
                            }
                        }
                        Ranks.closeAll(ins);
                        Ranks.closeAll(outs);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(30)
    void allGatherConcatenatesInRankOrder(int ranks) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            for (DType dtype : DType.values()) {
                for (int count : new int[] {0, 1, 7, 100}) {
                    double[][] inputs = Fill.RANDOM.generate(dtype, ReduceOp.SUM, ranks, count, count + 3L * ranks);
                    List<Tensor> ins = tensors(dtype, inputs);
                    List<Tensor> outs = zeros(dtype, ranks, count * ranks);
                    Ranks.onAll(comms, (r, comm) -> comm.allGatherAsync(ins.get(r), outs.get(r)));
                    double[] expected = Arrays.stream(inputs).flatMapToDouble(Arrays::stream).toArray();
                    for (int r = 0; r < ranks; r++) {
                        assertArrayEquals(expected, outs.get(r).toDoubleArray(), ranks + " ranks, " + dtype + ", count " + count + ", rank " + r);
                    }
                    Ranks.closeAll(ins);
                    Ranks.closeAll(outs);
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(30)
    void broadcastCopiesTheRootsBufferFromEveryRoot(int ranks) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            for (DType dtype : DType.values()) {
                for (int count : new int[] {0, 1, 33}) {
                    for (int root = 0; root < ranks; root++) {
                        double[][] inputs = Fill.RANDOM.generate(dtype, ReduceOp.SUM, ranks, count, root + 5L * count);
                        List<Tensor> buffers = tensors(dtype, inputs);
                        int chosenRoot = root;
                        Ranks.onAll(comms, (r, comm) -> comm.broadcastAsync(buffers.get(r), chosenRoot));
                        for (int r = 0; r < ranks; r++) {
                            assertArrayEquals(inputs[root], buffers.get(r).toDoubleArray(),
                                    ranks + " ranks, " + dtype + ", count " + count + ", root " + root + ", rank " + r);
                        }
                        Ranks.closeAll(buffers);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(30)
    void reduceWritesTheReductionOnTheRootOnly(int ranks) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            for (DType dtype : DType.values()) {
                for (ReduceOp op : ReduceOp.values()) {
                    if (!op.supports(dtype)) {
                        continue;
                    }
                    for (int root = 0; root < ranks; root++) {
                        int count = 13;
                        double[][] inputs = Fill.EXACT.generate(dtype, op, ranks, count, root + 7L * ranks);
                        double[] reference = Reference.reduce(dtype, op, inputs);
                        List<Tensor> ins = tensors(dtype, inputs);
                        List<Tensor> outs = zeros(dtype, ranks, count);
                        int chosenRoot = root;
                        Ranks.onAll(comms, (r, comm) -> comm.reduceAsync(ins.get(r), outs.get(r), op, chosenRoot));
                        String context = ranks + " ranks, " + dtype + " " + op + ", root " + root;
                        double[] actual = outs.get(root).toDoubleArray();
                        for (int i = 0; i < count; i++) {
                            double bound = Reference.tolerance(dtype, op, inputs, i, reference[i], Fill.EXACT);
                            if (!(Math.abs(actual[i] - reference[i]) <= bound)) {
                                fail(context + ": element " + i + " is " + actual[i] + ", reference " + reference[i]);
                            }
                        }
                        for (int r = 0; r < ranks; r++) {
                            if (r != root) {
                                assertArrayEquals(new double[count], outs.get(r).toDoubleArray(), context + ": rank " + r + " out was written");
                            }
                        }
                        Ranks.closeAll(ins);
                        Ranks.closeAll(outs);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(30)
    void barrierReleasesNoRankBeforeTheLastHasArrived(int ranks) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            for (int round = 0; round < 2; round++) {
                long[] arrived = new long[ranks];
                long[] released = new long[ranks];
                Ranks.onAll(comms, (r, comm) -> CompletableFuture.runAsync(() -> {
                    sleep(10L * r);
                    arrived[r] = System.nanoTime();
                    comm.barrier();
                    released[r] = System.nanoTime();
                }, THREAD_PER_RANK));
                long lastArrival = Arrays.stream(arrived).max().orElseThrow();
                long firstRelease = Arrays.stream(released).min().orElseThrow();
                assertTrue(firstRelease >= lastArrival, "a rank left the barrier before rank " + (ranks - 1) + " arrived");
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Tensor> tensors(DType dtype, double[][] inputs) {
        List<Tensor> tensors = new ArrayList<>();
        for (double[] values : inputs) {
            tensors.add(Ranks.tensor(dtype, values));
        }
        return tensors;
    }

    private static List<Tensor> zeros(DType dtype, int ranks, int count) {
        List<Tensor> tensors = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            tensors.add(Tensor.allocate(dtype, count));
        }
        return tensors;
    }
}
