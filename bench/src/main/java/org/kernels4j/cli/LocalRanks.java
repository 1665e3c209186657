package org.kernels4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.comm.CollectiveException;
import org.kernels4j.comm.Communicator;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.LocalCluster;

/**
 * The local transport: a {@link LocalCluster} with one thread per rank, each running the same
 * {@link RankWork} on its own communicator.
 *
 * <p>A rank whose work throws aborts the group, so that the others fail at once instead of waiting out
 * the timeout; the failure rethrown is the one that started it (say, a file that rank could not read), not
 * the others' "aborted because rank r failed".
 */
final class LocalRanks {
    private LocalRanks() {
    }

    static <T> List<T> run(int ranks, CommunicatorOptions options, RankWork<T> work) throws IOException {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks: " + ranks + " is less than 1");
        }
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        List<Communicator> communicators = LocalCluster.create(ranks, options);
        List<RankThread<T>> threads = new ArrayList<>(ranks);
        try {
            for (Communicator communicator : communicators) {
                threads.add(new RankThread<>(communicator, work));
            }
            threads.forEach(Thread::start);
            for (RankThread<T> thread : threads) {
                joinUninterruptibly(thread);
            }
        } finally {
            communicators.forEach(Communicator::close);
        }
        rethrowFirstCause(threads);
        return threads.stream().map(thread -> thread.result).toList();
    }

    private static final class RankThread<T> extends Thread {
        private final Communicator communicator;
        private final RankWork<T> work;
        private T result;
        private Throwable failure;

        RankThread(Communicator communicator, RankWork<T> work) {
            super("k4j-rank-" + communicator.rank());
            setDaemon(true);
            this.communicator = communicator;
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result = work.run(Rank.of(communicator));
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
                communicator.abort(e);
            }
        }
    }

    /**
     * A rank's failure caused by another rank's: a collective that failed with the group
     * ({@link CollectiveException}), or a call refused because the group was already poisoned (an
     * {@link IllegalStateException} whose cause is the group's failure).
     */
    private static boolean isConsequence(Throwable failure) {
        return failure instanceof CollectiveException
                || failure instanceof IllegalStateException && failure.getCause() instanceof CollectiveException;
    }

    /**
     * Waits for a rank to finish; every collective it runs has a timeout, so this ends. An interrupt is
     * kept for the caller rather than leaving ranks running behind its back.
     */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first rank's failure that is not a consequence of another rank's, else the first. */
    private static void rethrowFirstCause(List<? extends RankThread<?>> threads) throws IOException {
        Throwable chosen = null;
        for (RankThread<?> thread : threads) {
            if (thread.failure != null && (chosen == null || isConsequence(chosen) && !isConsequence(thread.failure))) {
                chosen = thread.failure;
            }
        }
        switch (chosen) {
            case null -> { }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new AssertionError("a rank can only fail with what RankThread catches", chosen);
        }
    }
}
