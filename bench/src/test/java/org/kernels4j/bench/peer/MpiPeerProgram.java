package org.kernels4j.bench.peer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.bench.Timing;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiTesting;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * A rank of {@link MpiCollectivePeerTest}: each of the peer's collectives on small inputs made from the
 * rank number, and the timer around one of them. Writes {@code name <TAB> values} lines. Argument: the
 * result directory.
 */
public final class MpiPeerProgram {
    private MpiPeerProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults())) {
            MpiCollectivePeer peer = MpiCollectivePeer.of(world);
            int rank = world.rank();
            int size = world.size();
            List<String> lines = new ArrayList<>();
            try (Tensor in = Tensor.fromInts(new int[] {rank + 1, 10 * (rank + 1), -rank}, 3);
                 Tensor out = Tensor.allocate(DType.INT32, 3)) {
                peer.allReduce(in, out, ReduceOp.SUM);
                lines.add("allReduce\t" + Arrays.toString(out.toIntArray()));
            }
            try (Tensor in = Tensor.fromFloats(DType.FP32, blocks(size, rank), 2L * size);
                 Tensor out = Tensor.allocate(DType.FP32, 2)) {
                peer.reduceScatter(in, out, ReduceOp.MAX);
                lines.add("reduceScatter\t" + Arrays.toString(out.toFloatArray()));
            }
            try (Tensor in = Tensor.fromBytes(new byte[] {(byte) rank, (byte) -rank}, 2);
                 Tensor out = Tensor.allocate(DType.INT8, 2L * size)) {
                peer.allGather(in, out);
                lines.add("allGather\t" + Arrays.toString(out.toIntArray()));
            }
            try (Tensor buffer = Tensor.fromInts(new int[] {rank, rank}, 2)) {
                peer.broadcast(buffer, size - 1);
                lines.add("broadcast\t" + Arrays.toString(buffer.toIntArray()));
            }
            try (Tensor in = Tensor.allocate(DType.FP32, 1000); Tensor out = Tensor.allocate(DType.FP32, 1000)) {
                Timing timing = new MpiRankTimer(1, 4).time(world, () -> peer.allReduce(in, out, ReduceOp.SUM));
                lines.add("timing\t" + Arrays.toString(timing.samples()));
            }
            MpiTesting.writeResults(directory, rank, lines);
        }
    }

    /** Block b of rank r holds {b + r, -r}: the MAX over ranks of block b is {b + size - 1, 0}. */
    private static float[] blocks(int size, int rank) {
        float[] values = new float[2 * size];
        for (int b = 0; b < size; b++) {
            values[2 * b] = b + rank;
            values[2 * b + 1] = -rank;
        }
        return values;
    }
}
