package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/** NaN, infinities, overflow and queued calls: the cases where ranks most easily drift apart. */
class EdgeValuesTest {

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"RING", "RECURSIVE_DOUBLING", "TREE"})
    @Timeout(15)
    void nanAndInfinitiesPropagateWithTheSameBitsOnEveryRank(Algorithm algorithm) throws Exception {
        int ranks = 3;
        List<Communicator> comms = LocalCluster.create(ranks, CommunicatorOptions.defaults().withAlgorithm(algorithm));
        // Element 0: NaNs with different payloads on two ranks; 1: +Inf and −Inf (SUM gives NaN);
        // 2: +Inf alone; 3: FP32 overflow to +Inf.
        float[][] values = {
                {Float.intBitsToFloat(0x7fc00001), Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MAX_VALUE},
                {1, Float.NEGATIVE_INFINITY, 1, Float.MAX_VALUE},
                {Float.intBitsToFloat(0xffc00002), 0, 2, 0}};
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX}) {
            List<Tensor> buffers = new ArrayList<>();
            for (float[] rank : values) {
                buffers.add(Tensor.fromFloats(DType.FP32, rank, rank.length));
            }
            Ranks.onAll(comms, (r, comm) -> comm.allReduceAsync(buffers.get(r), buffers.get(r), op));
            Ranks.assertSameBitsOnAllRanks(buffers, algorithm + " " + op);
            float[] result = buffers.get(0).toFloatArray();
            assertEquals(0x7fc00000, Float.floatToRawIntBits(result[0]), op + ": NaN is canonical");
            assertTrue(op == ReduceOp.SUM ? Float.isNaN(result[1]) : result[1] == Float.POSITIVE_INFINITY, op + ": element 1");
            assertEquals(Float.POSITIVE_INFINITY, result[2], op + ": element 2");
            assertEquals(op == ReduceOp.SUM ? Float.POSITIVE_INFINITY : Float.MAX_VALUE, result[3], op + ": element 3");
            Ranks.closeAll(buffers);
        }
        Ranks.closeAll(comms);
    }

    @Test
    @Timeout(15)
    void fp16SumsOverflowToInfinity() throws Exception {
        List<Communicator> comms = LocalCluster.create(2);
        List<Tensor> buffers = List.of(Tensor.fromFloats(DType.FP16, new float[] {65504}, 1),
                Tensor.fromFloats(DType.FP16, new float[] {65504}, 1));
        Ranks.onAll(comms, (r, comm) -> comm.allReduceAsync(buffers.get(r), buffers.get(r), ReduceOp.SUM));
        assertEquals(Double.POSITIVE_INFINITY, buffers.get(1).get(0));
        Ranks.closeAll(buffers);
        Ranks.closeAll(comms);
    }

    @Test
    @Timeout(15)
    void callsQueuedWithoutWaitingRunInOrder() throws Exception {
        int ranks = 4;
        List<Communicator> comms = LocalCluster.create(ranks);
        List<Tensor> sums = new ArrayList<>();
        List<Tensor> broadcasts = new ArrayList<>();
        List<Tensor> gathered = new ArrayList<>();
        List<Tensor> ranksIn = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            sums.add(Tensor.fromInts(new int[] {r, 10 * r}, 2));
            broadcasts.add(Tensor.fromInts(new int[] {r + 100}, 1));
            ranksIn.add(Tensor.fromInts(new int[] {r}, 1));
            gathered.add(Tensor.allocate(DType.INT32, ranks));
        }
        Ranks.onAll(comms, (r, comm) -> {
            comm.allReduceAsync(sums.get(r), sums.get(r), ReduceOp.SUM);
            comm.barrierAsync();
            comm.broadcastAsync(broadcasts.get(r), 2);
            return comm.allGatherAsync(ranksIn.get(r), gathered.get(r));
        });
        for (int r = 0; r < ranks; r++) {
            assertEquals(List.of(6, 60), List.of(sums.get(r).toIntArray()[0], sums.get(r).toIntArray()[1]));
            assertEquals(102, broadcasts.get(r).toIntArray()[0]);
            assertEquals(List.of(0, 1, 2, 3), java.util.Arrays.stream(gathered.get(r).toIntArray()).boxed().toList());
        }
        for (List<Tensor> tensors : List.of(sums, broadcasts, gathered, ranksIn)) {
            Ranks.closeAll(tensors);
        }
        Ranks.closeAll(comms);
    }
}
