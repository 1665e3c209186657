package org.kernels4j.cli;

import java.util.Objects;
import java.util.Optional;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * One rank as its {@link RankWork} sees it.
 *
 * @param communicator the rank's communicator: its rank, the group size, the collectives
 * @param mpiWorld     the MPI job this rank is a process of, under the MPI transport (for MPI's own
 *                     collectives as a benchmark peer); empty under the local transport
 */
record Rank(Communicator communicator, Optional<MpiWorld> mpiWorld) {
    Rank {
        Objects.requireNonNull(communicator, "communicator");
        Objects.requireNonNull(mpiWorld, "mpiWorld");
    }

    /** A rank with no MPI job behind it. */
    static Rank of(Communicator communicator) {
        return new Rank(communicator, Optional.empty());
    }

    int rank() {
        return communicator.rank();
    }
}
