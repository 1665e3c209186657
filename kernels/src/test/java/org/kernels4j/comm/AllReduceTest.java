package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

class AllReduceTest {
    private static final int[] RANK_COUNTS = {1, 2, 3, 4, 7};
    private static final Algorithm[] ALGORITHMS = {Algorithm.RING, Algorithm.HALVING_DOUBLING, Algorithm.RECURSIVE_DOUBLING, Algorithm.TREE};

    static Stream<Arguments> ranksAndAlgorithms() {
        List<Arguments> cases = new ArrayList<>();
        for (int ranks : RANK_COUNTS) {
            for (Algorithm algorithm : ALGORITHMS) {
                cases.add(Arguments.of(ranks, algorithm));
            }
        }
        return cases.stream();
    }

    /** Sizes 0, 1, odd, not divisible by the rank count, and more than one block per rank. */
    static int[] sizes(int ranks) {
        return new int[] {0, 1, 7, 4 * ranks + 3, 1031};
    }

    @ParameterizedTest(name = "{0} ranks, {1}")
    @MethodSource("ranksAndAlgorithms")
    @Timeout(60)
    void matchesTheReferenceForEveryOpDtypeAndSize(int ranks, Algorithm algorithm) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks, CommunicatorOptions.defaults().withAlgorithm(algorithm)), comms -> {
            int variant = 0;
            for (DType dtype : DType.values()) {
                for (ReduceOp op : ReduceOp.values()) {
                    if (!op.supports(dtype)) {
                        continue;
                    }
                    for (int count : sizes(ranks)) {
                        for (Fill fill : Fill.values()) {
                            boolean inPlace = variant++ % 2 == 1;
                            String context = ranks + " ranks, " + algorithm + ", " + dtype + " " + op + ", count " + count
                                    + ", " + fill + (inPlace ? ", in place" : "");
                            double[][] inputs = fill.generate(dtype, op, ranks, count, 31L * variant);
                            checkAllReduce(comms, dtype, op, inputs, fill, inPlace, null, context);
                        }
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} ranks, {1}")
    @MethodSource("ranksAndAlgorithms")
    @Timeout(30)
    void givesTheSameBitsEveryTime(int ranks, Algorithm algorithm) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            double[][] inputs = Fill.RANDOM.generate(DType.FP32, ReduceOp.SUM, ranks, 1031, 7);
            List<Tensor> first = run(comms, DType.FP32, ReduceOp.SUM, inputs, false, algorithm);
            List<Tensor> second = run(comms, DType.FP32, ReduceOp.SUM, inputs, false, algorithm);
            for (int r = 0; r < ranks; r++) {
                assertEquals(-1, Ranks.bytes(first.get(r)).mismatch(Ranks.bytes(second.get(r))), "rank " + r);
            }
            Ranks.closeAll(first);
            Ranks.closeAll(second);
        });
    }

    /** 16 MiB of FP32 per rank; 3 ranks do not divide its 4 Mi elements. */
    @ParameterizedTest(name = "{0} ranks, {1}")
    @MethodSource("largeCases")
    @Timeout(60)
    void reducesSixteenMebibytes(int ranks, Algorithm algorithm) throws Exception {
        Ranks.withCluster(LocalCluster.create(ranks), comms -> {
            double[][] inputs = Fill.RANDOM.generate(DType.FP32, ReduceOp.SUM, ranks, 4 << 20, 11);
            checkAllReduce(comms, DType.FP32, ReduceOp.SUM, inputs, Fill.RANDOM, true, algorithm,
                    "16 MiB, " + ranks + " ranks, " + algorithm);
        });
    }

    static Stream<Arguments> largeCases() {
        return Stream.of(Arguments.of(3, Algorithm.AUTO), Arguments.of(4, Algorithm.RING), Arguments.of(4, Algorithm.AUTO),
                Arguments.of(2, Algorithm.RECURSIVE_DOUBLING));
    }

    @Test
    @Timeout(10)
    void autoChoosesRecursiveDoublingForSmallAndRingOrHalvingDoublingForLargeMessages() {
        assertEquals(Algorithm.RECURSIVE_DOUBLING, Algorithm.AUTO.forAllReduce(Algorithm.SMALL_MESSAGE_BYTES, 4));
        assertEquals(Algorithm.HALVING_DOUBLING, Algorithm.AUTO.forAllReduce(Algorithm.SMALL_MESSAGE_BYTES + 1, 4));
        assertEquals(Algorithm.HALVING_DOUBLING, Algorithm.AUTO.forAllReduce(1 << 30, 8));
        assertEquals(Algorithm.RING, Algorithm.AUTO.forAllReduce(Algorithm.SMALL_MESSAGE_BYTES + 1, 2));
        assertEquals(Algorithm.RING, Algorithm.AUTO.forAllReduce(Algorithm.SMALL_MESSAGE_BYTES + 1, 3));
        assertEquals(Algorithm.RING, Algorithm.HALVING_DOUBLING.forAllReduce(1 << 20, 7));
        assertEquals(Algorithm.TREE, Algorithm.TREE.forAllReduce(1 << 30, 4));
    }

    private static void checkAllReduce(List<Communicator> comms, DType dtype, ReduceOp op, double[][] inputs, Fill fill,
                                       boolean inPlace, Algorithm algorithm, String context) throws Exception {
        List<Tensor> outputs = run(comms, dtype, op, inputs, inPlace, algorithm);
        try {
            Ranks.assertSameBitsOnAllRanks(outputs, context);
            double[] reference = Reference.reduce(dtype, op, inputs);
            double[] actual = outputs.get(0).toDoubleArray();
            boolean referenceNonZero = false;
            for (int i = 0; i < reference.length; i++) {
                double bound = Reference.tolerance(dtype, op, inputs, i, reference[i], fill);
                double error = Math.abs(actual[i] - reference[i]);
                if (!(error <= bound)) {
                    fail(context + ": element " + i + " is " + actual[i] + ", reference " + reference[i] + ", bound " + bound);
                }
                referenceNonZero |= reference[i] != 0;
            }
            // A short vector may reduce to zeros by chance; a longer one that does means a useless fill.
            assertTrue(referenceNonZero || reference.length < 7, context + ": reference is all zeros");
        } finally {
            Ranks.closeAll(outputs);
        }
    }

    /** Runs the all-reduce; the per-call algorithm when given, else the communicator's default. */
    private static List<Tensor> run(List<Communicator> comms, DType dtype, ReduceOp op, double[][] inputs,
                                    boolean inPlace, Algorithm algorithm) throws Exception {
        List<Tensor> ins = new ArrayList<>();
        List<Tensor> outs = new ArrayList<>();
        for (double[] values : inputs) {
            Tensor in = Ranks.tensor(dtype, values);
            ins.add(in);
            outs.add(inPlace ? in : Tensor.allocate(dtype, values.length));
        }
        Ranks.onAll(comms, (r, comm) -> algorithm == null
                ? comm.allReduceAsync(ins.get(r), outs.get(r), op)
                : comm.allReduceAsync(ins.get(r), outs.get(r), op, algorithm));
        if (!inPlace) {
            for (int r = 0; r < inputs.length; r++) {
                assertEquals(-1, Ranks.bytes(ins.get(r)).mismatch(Ranks.bytes(Ranks.tensor(dtype, inputs[r]))),
                        "rank " + r + "'s input changed");
            }
            Ranks.closeAll(ins);
        }
        return outs;
    }
}
