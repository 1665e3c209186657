package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.bench.Timing;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.CommunicatorOptions;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.Reducer;
import org.kernels4j.comm.ScalarReducer;

/** The benchmark's own checking and its table, apart from the command line. */
class CollectiveBenchTest {
    private static final Progress SILENT = new Progress(new PrintStream(new ByteArrayOutputStream()), false, 0);

    /** The scalar reduction step with one element of every reduction made wrong. */
    private static final class OffByOneReducer implements Reducer {
        @Override
        public void reduce(DType dtype, ReduceOp op, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long count) {
            ScalarReducer.INSTANCE.reduce(dtype, op, src, srcOffset, dst, dstOffset, count);
            if (count > 0) {
                long last = dstOffset / dtype.byteSize() + count - 1;
                dtype.write(dst, last, dtype.read(dst, last) + 1);
            }
        }

        @Override
        public void divide(DType dtype, MemorySegment segment, long offset, long count, int divisor) {
            ScalarReducer.INSTANCE.divide(dtype, segment, offset, count, divisor);
        }
    }

    private static CollectiveBench.Plan plan(BenchedCollective collective, int ranks, List<Long> sizes) {
        return new CollectiveBench.Plan(collective, CommTransport.LOCAL, ranks, "test", List.of(DType.FP32, DType.INT8),
                collective.reduces() ? ReduceOp.SUM : null, collective.hasRoot() ? 0 : -1, Algorithm.AUTO, sizes, 2, 1);
    }

    @Test
    @Timeout(60)
    void countsWrongElementsOverEveryRank() throws IOException {
        for (BenchedCollective collective : List.of(BenchedCollective.ALL_REDUCE, BenchedCollective.REDUCE_SCATTER)) {
            CollectiveBench.Plan plan = plan(collective, 3, List.of(96L, 1L << 20));
            List<List<CollectiveBench.Row>> perRank = LocalRanks.run(3,
                    CommunicatorOptions.defaults().withReducer(new OffByOneReducer()),
                    rank -> CollectiveBench.onRank(rank, plan, SILENT));
            for (CollectiveBench.Row row : perRank.get(0)) {
                assertTrue(row.wrong() > 0 && row.wrong() <= row.count() * 3, collective + ": " + row.wrong() + " wrong in " + row);
            }
            perRank.forEach(rows -> assertEquals(perRank.get(0).stream().map(CollectiveBench.Row::wrong).toList(),
                    rows.stream().map(CollectiveBench.Row::wrong).toList(), "the same count on every rank"));
        }
    }

    @Test
    @Timeout(60)
    void findsNothingWrongWithTheScalarReducer() throws IOException {
        for (BenchedCollective collective : BenchedCollective.values()) {
            CollectiveBench.Plan plan = plan(collective, 4, List.of(4L, 96L, 3L << 20));
            List<CollectiveBench.Row> rows = LocalRanks.run(4, CommunicatorOptions.defaults(),
                    rank -> CollectiveBench.onRank(rank, plan, SILENT)).get(0);
            assertTrue(rows.size() >= 4, collective + ": " + rows);
            rows.forEach(row -> assertEquals(0, row.wrong(), collective + ": " + row));
        }
    }

    @Test
    void tableAddsThePeersColumnsOnlyWhenARowHasAPeer() {
        CollectiveBench.Plan plan = plan(BenchedCollective.ALL_REDUCE, 2, List.of(1L << 20));
        CollectiveBench.Row ours = new CollectiveBench.Row(plan, DType.FP32, 1 << 20, 1 << 18, Algorithm.RING,
                new Timing(new double[] {1e-3, 2e-3, 4e-3}), 0, null);
        assertEquals("""
                size (B)   count  type  redop  root  algorithm  time (µs)    spread (µs)  algbw (GB/s)  busbw (GB/s)  #wrong
                --------  ------  ----  -----  ----  ---------  ---------  -------------  ------------  ------------  ------
                 1048576  262144  fp32  sum      -1  ring          2000.0  1000.0–4000.0          0.52          0.52       0
                """, CollectiveBench.table(List.of(ours)));

        CollectiveBench.Row withPeer = new CollectiveBench.Row(plan, DType.FP32, 1 << 20, 1 << 18, Algorithm.RING,
                new Timing(new double[] {2e-3}), 0, new CollectiveBench.Peer("MPI_Allreduce", new Timing(new double[] {4e-3})));
        String both = CollectiveBench.table(List.of(withPeer, ours));
        assertTrue(both.startsWith("size (B)   count  type  redop  root  algorithm  time (µs)    spread (µs)  algbw (GB/s)"
                + "  busbw (GB/s)  #wrong  peer           peer time (µs)  peer busbw (GB/s)  ratio\n"), both);
        assertTrue(both.contains("2000.0–2000.0          0.52          0.52       0  MPI_Allreduce          4000.0"
                + "               0.26  2.00×\n"), both);
        assertTrue(both.endsWith("0.52       0  -                           -                  -      -\n"), both);
        assertEquals(2.0, withPeer.ratioToPeer(), 1e-12);
        assertEquals("MPI_Allreduce", ((java.util.Map<?, ?>) withPeer.toJson().get("peer")).get("name"));
        assertEquals(2.0, (Double) withPeer.toJson().get("ratioToPeer"), 1e-12);
    }
}
