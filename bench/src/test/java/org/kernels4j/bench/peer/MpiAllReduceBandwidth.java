package org.kernels4j.bench.peer;

import java.util.List;
import java.util.Locale;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.bench.Timing;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * A measurement, not a test: FP32 sum all-reduce bus bandwidth of the kernels4j communicator over the
 * MPI transport against {@code MPI_Allreduce}, in the same job, as nccl-tests reports it
 * (busbw = algbw · 2(n − 1)/n). Run under mpirun, e.g.
 * {@code mpirun -np 4 --oversubscribe java <flags> -cp <bench test class path> org.kernels4j.bench.peer.MpiAllReduceBandwidth 16777216,67108864 3 10 ring};
 * rank 0 prints one line per size. Inputs are small integers, so both sums are exact and must agree
 * to the bit ("wrong" counts the elements that do not).
 *
 * <p>Arguments: sizes in bytes (comma-separated), warm-up calls, measured calls, algorithm (auto, ring,
 * recursive_doubling, tree).
 */
public final class MpiAllReduceBandwidth {
    private MpiAllReduceBandwidth() {
    }

    public static void main(String[] args) {
        String[] sizes = args[0].split(",");
        MpiRankTimer timer = new MpiRankTimer(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Algorithm algorithm = Algorithm.valueOf(args[3].toUpperCase(Locale.ROOT));
        try (Kernels kernels = Kernels.open();
             MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults().withReducer(kernels.reducer()).withAlgorithm(algorithm))) {
            Communicator comm = world.communicator();
            MpiCollectivePeer peer = MpiCollectivePeer.of(world);
            if (comm.rank() == 0) {
                System.out.printf("%d ranks, %s, reducer %s, %s%n", comm.size(), algorithm,
                        kernels.reducer().getClass().getSimpleName(), peer.description());
                System.out.printf("%12s %10s %10s %12s %10s %12s %7s %6s%n", "bytes", "count", "ours(ms)", "busbw(GB/s)",
                        "mpi(ms)", "busbw(GB/s)", "ratio", "wrong");
            }
            for (String size : sizes) {
                long bytes = Long.parseLong(size.strip());
                int count = Math.toIntExact(bytes / DType.FP32.byteSize());
                try (Tensor in = Tensor.allocate(DType.FP32, count); Tensor ours = Tensor.allocate(DType.FP32, count);
                     Tensor theirs = Tensor.allocate(DType.FP32, count)) {
                    for (int i = 0; i < count; i++) {
                        in.segment().setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (i + comm.rank()) % 7 - 3);
                    }
                    List<Timing> timings = timer.timeAlternating(world,
                            List.of(() -> comm.allReduce(in, ours, ReduceOp.SUM), () -> peer.allReduce(in, theirs, ReduceOp.SUM)));
                    Timing ourTime = timings.get(0);
                    Timing mpiTime = timings.get(1);
                    long wrong = 0;
                    for (int i = 0; i < count; i++) {
                        if (Float.floatToRawIntBits(ours.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i))
                                != Float.floatToRawIntBits(theirs.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i))) {
                            wrong++;
                        }
                    }
                    double factor = 2.0 * (comm.size() - 1) / comm.size();
                    double ourBusBw = factor * bytes / ourTime.median() / 1e9;
                    double mpiBusBw = factor * bytes / mpiTime.median() / 1e9;
                    if (comm.rank() == 0) {
                        System.out.printf("%12d %10d %10.2f %12.3f %10.2f %12.3f %7.2f %6d%n", bytes, count, ourTime.median() * 1e3,
                                ourBusBw, mpiTime.median() * 1e3, mpiBusBw, ourBusBw / mpiBusBw, wrong);
                    }
                }
            }
        }
    }
}
