package org.kernels4j.comm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.comm.mpi.MpiTesting;
import org.kernels4j.comm.mpi.MpiWorld;

/**
 * One rank of {@link MpiCollectivesTest}: runs every collective over the MPI transport on inputs that
 * every rank can regenerate (fixed seeds), checks its own result against the reference, and writes one
 * line per case to its result file: {@code case <TAB> digest <TAB> verdict}. The digest (SHA-256 of the
 * result's bytes, or "-" where ranks hold different results by design) must be the same on all ranks;
 * the verdict is "ok" or what went wrong. A collective that throws ends the file with a "FATAL" line.
 *
 * <p>Argument: the result directory.
 */
public final class MpiCollectivesProgram {
    private static final Algorithm[] ALGORITHMS = {Algorithm.RING, Algorithm.HALVING_DOUBLING, Algorithm.RECURSIVE_DOUBLING, Algorithm.TREE};
    /** 0, 1, odd, and not divisible by 2 or 3. */
    private static final int[] SIZES = {0, 1, 7, 1001};
    private static final int LARGE = 4 << 20; // FP32 elements: 16 MiB

    private final Communicator comm;
    private final int ranks;
    private final List<String> lines = new ArrayList<>();
    private long seed;

    private MpiCollectivesProgram(Communicator comm) {
        this.comm = comm;
        this.ranks = comm.size();
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        try (MpiWorld world = MpiWorld.open(CommunicatorOptions.defaults().withTimeout(Duration.ofSeconds(60)))) {
            MpiCollectivesProgram program = new MpiCollectivesProgram(world.communicator());
            try {
                program.runAll();
            } catch (RuntimeException | Error e) {
                program.lines.add("FATAL\t-\t" + e);
                e.printStackTrace();
            }
            MpiTesting.writeResults(directory, world.rank(), program.lines);
        }
    }

    private void runAll() throws Exception {
        for (Algorithm algorithm : ALGORITHMS) {
            for (DType dtype : DType.values()) {
                for (ReduceOp op : ReduceOp.values()) {
                    if (!op.supports(dtype)) {
                        continue;
                    }
                    for (int count : SIZES) {
                        for (Fill fill : Fill.values()) {
                            allReduce(algorithm, dtype, op, fill, count, seed % 2 == 1);
                        }
                    }
                }
            }
            allReduce(algorithm, DType.FP32, ReduceOp.SUM, Fill.RANDOM, LARGE, true);
        }
        for (DType dtype : DType.values()) {
            for (ReduceOp op : ReduceOp.values()) {
                if (op.supports(dtype)) {
                    for (int block : new int[] {0, 1, 5, 1001}) {
                        reduceScatter(dtype, op, block);
                    }
                    for (int root = 0; root < ranks; root++) {
                        reduce(dtype, op, root, 1001);
                    }
                }
            }
            for (int count : SIZES) {
                allGather(dtype, count);
                for (int root = 0; root < ranks; root++) {
                    broadcast(dtype, count, root);
                }
            }
        }
        barrier();
    }

    private void allReduce(Algorithm algorithm, DType dtype, ReduceOp op, Fill fill, int count, boolean inPlace) throws Exception {
        String context = "allReduce " + algorithm + " " + dtype + " " + op + " " + fill + " count " + count + (inPlace ? " in place" : "");
        double[][] inputs = fill.generate(dtype, op, ranks, count, ++seed);
        try (Tensor in = Ranks.tensor(dtype, inputs[comm.rank()]); Tensor separate = Tensor.allocate(dtype, count)) {
            Tensor out = inPlace ? in : separate;
            comm.allReduce(in, out, op, algorithm);
            String verdict = inPlace || sameBits(in, inputs[comm.rank()]) ? checkReduction(dtype, op, fill, inputs, out, 0)
                    : "input changed";
            record(context, digest(out), verdict);
        }
    }

    private void reduceScatter(DType dtype, ReduceOp op, int block) throws Exception {
        double[][] inputs = Fill.RANDOM.generate(dtype, op, ranks, block * ranks, ++seed);
        try (Tensor in = Ranks.tensor(dtype, inputs[comm.rank()]); Tensor out = Tensor.allocate(dtype, block)) {
            comm.reduceScatter(in, out, op);
            record("reduceScatter " + dtype + " " + op + " block " + block, "-",
                    checkReduction(dtype, op, Fill.RANDOM, inputs, out, comm.rank() * block));
        }
    }

    private void reduce(DType dtype, ReduceOp op, int root, int count) throws Exception {
        double[][] inputs = Fill.EXACT.generate(dtype, op, ranks, count, ++seed);
        try (Tensor in = Ranks.tensor(dtype, inputs[comm.rank()]); Tensor out = Tensor.allocate(dtype, count)) {
            comm.reduce(in, out, op, root);
            String verdict = comm.rank() == root ? checkReduction(dtype, op, Fill.EXACT, inputs, out, 0)
                    : sameBits(out, new double[count]) ? "ok" : "a non-root output was written";
            record("reduce " + dtype + " " + op + " root " + root, "-", verdict);
        }
    }

    private void allGather(DType dtype, int count) throws Exception {
        double[][] inputs = Fill.RANDOM.generate(dtype, ReduceOp.SUM, ranks, count, ++seed);
        try (Tensor in = Ranks.tensor(dtype, inputs[comm.rank()]); Tensor out = Tensor.allocate(dtype, (long) count * ranks)) {
            comm.allGather(in, out);
            double[] expected = Arrays.stream(inputs).flatMapToDouble(Arrays::stream).toArray();
            record("allGather " + dtype + " count " + count, digest(out), sameBits(out, expected) ? "ok" : "not the ranks' inputs in order");
        }
    }

    private void broadcast(DType dtype, int count, int root) throws Exception {
        double[][] inputs = Fill.RANDOM.generate(dtype, ReduceOp.SUM, ranks, count, ++seed);
        try (Tensor buffer = Ranks.tensor(dtype, inputs[comm.rank()])) {
            comm.broadcast(buffer, root);
            record("broadcast " + dtype + " count " + count + " root " + root, digest(buffer),
                    sameBits(buffer, inputs[root]) ? "ok" : "not the root's buffer");
        }
    }

    /**
     * Ranks arrive one after another (rank r after r × 50 ms); no rank may leave before the last arrived.
     * System.nanoTime is CLOCK_MONOTONIC, common to the processes of one machine; the times travel as bytes.
     */
    private void barrier() throws Exception {
        Thread.sleep(50L * comm.rank());
        long arrived = System.nanoTime();
        comm.barrier();
        long released = System.nanoTime();
        try (Tensor mine = Tensor.allocate(DType.INT8, 16); Tensor all = Tensor.allocate(DType.INT8, 16L * ranks)) {
            mine.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, arrived);
            mine.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 8, released);
            comm.allGather(mine, all);
            long lastArrival = Long.MIN_VALUE;
            long firstRelease = Long.MAX_VALUE;
            for (int r = 0; r < ranks; r++) {
                lastArrival = Math.max(lastArrival, all.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 16L * r));
                firstRelease = Math.min(firstRelease, all.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 16L * r + 8));
            }
            record("barrier", "-", firstRelease >= lastArrival ? "ok" : "a rank left before the last one arrived");
        }
    }

    /** "ok", or the first element of {@code actual} (holding elements from {@code first} on) off the reference. */
    private static String checkReduction(DType dtype, ReduceOp op, Fill fill, double[][] inputs, Tensor actual, int first) {
        double[] reference = Reference.reduce(dtype, op, inputs);
        double[] values = actual.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            int element = first + i;
            double bound = Reference.tolerance(dtype, op, inputs, element, reference[element], fill);
            if (!(Math.abs(values[i] - reference[element]) <= bound)) {
                return "element " + element + " is " + values[i] + ", reference " + reference[element] + ", bound " + bound;
            }
        }
        return "ok";
    }

    private static boolean sameBits(Tensor tensor, double[] values) {
        try (Tensor expected = Ranks.tensor(tensor.dtype(), values)) {
            return Ranks.bytes(tensor).mismatch(Ranks.bytes(expected)) == -1;
        }
    }

    private static String digest(Tensor tensor) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MemorySegment bytes = Ranks.bytes(tensor);
        sha.update(bytes.asByteBuffer());
        return HexFormat.of().formatHex(sha.digest());
    }

    private void record(String context, String digest, String verdict) {
        lines.add(context + "\t" + digest + "\t" + verdict);
    }
}
