package org.kernels4j.comm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.mpi.MpiTesting;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * One rank of {@link MpiFailureTest}: one all-reduce that succeeds, then a second one that goes wrong
 * as the scenario says. Ranks that see the failure write {@code failure}, {@code ranks},
 * {@code elapsedMillis} and {@code later} (what a following call threw) lines to their result file,
 * then close the world and end normally, leaving the end of the job to mpirun.
 *
 * <p>Arguments: scenario, result directory, the rank that misbehaves. Scenarios: {@code stall} (it
 * sleeps far longer than the others' timeout), {@code exit} ({@code System.exit(7)}), {@code halt}
 * ({@code Runtime.halt(0)}: gone without a trace), {@code mismatch} (it passes 12 elements, the others 10).
 */
public final class MpiFailureProgram {
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);
    static final Duration STALL_SLEEP = Duration.ofMinutes(2);
    static final Duration LONG_TIMEOUT = Duration.ofMinutes(2);

    private MpiFailureProgram() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        Path directory = Path.of(args[1]);
        int culprit = Integer.parseInt(args[2]);
        Duration timeout = scenario.equals("stall") ? STALL_TIMEOUT : LONG_TIMEOUT;
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults().withTimeout(timeout))) {
            Communicator comm = world.communicator();
            allReduce(comm, 10);
            int count = 10;
            if (comm.rank() == culprit) {
                switch (scenario) {
                    case "stall" -> Thread.sleep(STALL_SLEEP);
                    case "exit" -> System.exit(7);
                    case "halt" -> Runtime.getRuntime().halt(0);
                    case "mismatch" -> count = 12;
                    default -> throw new IllegalArgumentException("scenario: " + scenario);
                }
            }
            List<String> lines = new ArrayList<>();
            long start = System.nanoTime();
            try {
                allReduce(comm, count);
                lines.add("failure\tnone");
            } catch (CollectiveException e) {
                lines.add("failure\t" + e.getMessage());
                lines.add("ranks\t" + e.ranks());
            } catch (IllegalStateException e) {
                // This rank came late: the others had already found the mismatch and poisoned the group.
                lines.add("failure\t" + e.getMessage());
                lines.add("ranks\t" + ((CollectiveException) e.getCause()).ranks());
            }
            lines.add("elapsedMillis\t" + (System.nanoTime() - start) / 1_000_000);
            try {
                comm.barrier();
                lines.add("later\tnone");
            } catch (IllegalStateException e) {
                lines.add("later\t" + e.getMessage());
            }
            MpiTesting.writeResults(directory, comm.rank(), lines);
        }
    }

    private static void allReduce(Communicator comm, int count) {
        try (Tensor buffer = Tensor.allocate(DType.FP32, count)) {
            comm.allReduce(buffer, buffer, ReduceOp.SUM, Algorithm.RING);
        }
    }
}
