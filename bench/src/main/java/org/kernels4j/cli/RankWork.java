package org.kernels4j.cli;

import java.io.IOException;
import org.kernels4j.comm.Communicator;

/**
 * What one rank does in a collective command, given nothing but its communicator (its rank, the group
 * size, the collectives): the same function runs on a thread of the local transport and, later, as the
 * body of an MPI process.
 *
 * @param <T> the rank's result
 */
@FunctionalInterface
interface RankWork<T> {
    T run(Communicator communicator) throws IOException;
}
