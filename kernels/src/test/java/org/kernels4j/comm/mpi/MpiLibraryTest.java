package org.kernels4j.comm.mpi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.testing.Requirements;

/** Binding libmpi in a JVM that is not an MPI rank: nothing is initialised, nothing may be called. */
class MpiLibraryTest {

    @Test
    @Timeout(10)
    void bindsOpenMpiAndNamesItsVersion() {
        Requirements.assumeAvailable(MpiTesting.COMPONENT, MpiLibrary.availability());
        MpiLibrary mpi = MpiLibrary.load();
        assertTrue(mpi.version().startsWith("Open MPI"), mpi.version());
        assertTrue(mpi.toString().contains(mpi.location()), mpi.toString());
    }

    @Test
    @Timeout(10)
    void collectivesRefuseToRunBeforeMpiIsInitialised() {
        Requirements.assumeAvailable(MpiTesting.COMPONENT, MpiLibrary.availability());
        MpiLibrary mpi = MpiLibrary.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> mpi.allReduce(buffer, arena.allocate(16), 4, DType.FP32, ReduceOp.SUM));
            assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
        }
    }

    @Test
    @Timeout(10)
    void unavailableLibrariesSayWhereTheyLooked() {
        assertTrue(MpiLibrary.candidates().contains("libmpi.so.40"));
        assertTrue(MpiLibrary.availability().available() || MpiLibrary.availability().reason().contains("libmpi.so.40"),
                MpiLibrary.availability().reason());
    }
}
