package org.kernels4j.comm.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;

/**
 * A rank of the smoke test: opens the world and sums rank + 1 over all ranks through MPI_Allreduce;
 * writes "rank size threadLevel sum" to its result file. Argument: the result directory.
 */
public final class MpiSmokeProgram {
    private MpiSmokeProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults()); Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            in.set(ValueLayout.JAVA_INT, 0, world.rank() + 1);
            world.library().allReduce(in, out, 1, DType.INT32, ReduceOp.SUM);
            MpiTesting.writeResults(directory, world.rank(), List.of(world.rank() + " " + world.size() + " "
                    + world.threadLevel() + " " + out.get(ValueLayout.JAVA_INT, 0)));
        }
    }
}
