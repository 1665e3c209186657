package org.kernels4j.cli;

import java.io.IOException;

/**
 * What one rank does in a collective command, given nothing but its {@link Rank} (its communicator, and
 * the MPI job when there is one): the same function runs on a thread of the local transport and as the
 * body of an MPI process.
 *
 * @param <T> the rank's result
 */
@FunctionalInterface
interface RankWork<T> {
    T run(Rank rank) throws IOException;
}
