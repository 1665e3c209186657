package org.kernels4j.comm.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.CollectiveHeader;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;

/**
 * A rank of {@link MpiSmokeTest}. Writes one line per check to its result file:
 * <ol>
 * <li>{@code rank size threadLevel sum}, the sum of rank + 1 over all ranks by MPI_Allreduce;</li>
 * <li>{@code chunked <sum of the result>} from a ring all-reduce of ones over a second transport whose
 *     messages are at most 1000 bytes, so that every payload travels as many messages;</li>
 * <li>{@code heap <message>}, what the transport says when handed a heap segment.</li>
 * </ol>
 * Argument: the result directory.
 */
public final class MpiSmokeProgram {
    static final int CHUNKED_COUNT = 10_007;

    private MpiSmokeProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        List<String> lines = new ArrayList<>();
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults())) {
            lines.add(world.rank() + " " + world.size() + " " + world.threadLevel() + " " + mpiSum(world));
            MpiLibrary mpi = world.library();
            MemorySegment comm = mpi.duplicateReturningErrors(mpi.commWorld());
            MpiTransport transport = new MpiTransport(mpi, comm, 1000, true);
            try (Communicator chunked = Communicator.create(transport, CommunicatorOptions.defaults());
                 Tensor ones = Tensor.allocate(DType.FP32, CHUNKED_COUNT)) {
                for (long i = 0; i < CHUNKED_COUNT; i++) {
                    ones.set(1, i);
                }
                chunked.allReduce(ones, ones, ReduceOp.SUM, Algorithm.RING);
                double total = 0;
                for (double value : ones.toDoubleArray()) {
                    total += value;
                }
                lines.add("chunked " + (long) total);
                lines.add("heap " + heapRefusal(transport));
            }
            if (transport.release(1_000_000_000L)) {
                mpi.free(comm);
            }
            MpiTesting.writeResults(directory, world.rank(), lines);
        }
    }

    private static int mpiSum(MpiWorld world) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            in.set(ValueLayout.JAVA_INT, 0, world.rank() + 1);
            world.library().allReduce(in, out, 1, DType.INT32, ReduceOp.SUM);
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private static String heapRefusal(MpiTransport transport) {
        CollectiveHeader header = new CollectiveHeader(Collective.BROADCAST, 0, DType.INT8, 4, null, 0);
        try {
            transport.send(header, 1 - transport.rank(), MemorySegment.ofArray(new byte[4]), 0, 4, System.nanoTime());
            return "accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
