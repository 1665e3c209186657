package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiTesting;

/**
 * {@code k4j bench allreduce|reducescatter|allgather|broadcast} over tiny ranges: the table has
 * nccl-tests' columns, every size and dtype asked for, consistent sizes and counts, nothing wrong, and the
 * JSON holds the same rows. No timing is asserted.
 */
class BenchCollectiveCommandTest {
    private static final String COLUMNS = "size (B)  count  type  redop  root  algorithm  time (µs)  spread (µs)  algbw (GB/s)"
            + "  busbw (GB/s)  #wrong";
    private static final List<DType> ALL_DTYPES = List.of(DType.values());

    @TempDir
    Path dir;

    /** One table row, split into its cells. */
    private record Row(long bytes, long count, String type, String redop, String root, String algorithm, double micros,
                       String spread, double algbw, double busbw, long wrong) {
        static Row parse(String line) {
            String[] cells = line.strip().split(" {2,}");
            assertEquals(11, cells.length, line);
            return new Row(Long.parseLong(cells[0]), Long.parseLong(cells[1]), cells[2], cells[3], cells[4], cells[5],
                    Double.parseDouble(cells[6]), cells[7], Double.parseDouble(cells[8]), Double.parseDouble(cells[9]),
                    Long.parseLong(cells[10]));
        }
    }

    /** Runs a bench command that must succeed; returns its rows and checks the header lines. */
    private static List<Row> rows(String... args) {
        Cli.Result result = Cli.run(args);
        assertEquals(0, result.exitCode(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("k4j bench " + args[1] + ": local transport, "), result::toString);
        assertEquals(COLUMNS, lines.get(1).replaceAll(" {2,}", "  "), result::toString);
        assertTrue(lines.get(2).matches("[- ]+"), result::toString);
        return lines.subList(3, lines.size()).stream().map(Row::parse).toList();
    }

    /** The sizes nccl-tests would list from 8 B up to {@code maxBytes} by ×2, after rounding down to whole elements (and blocks). */
    private static List<Long> expectedCounts(BenchedCollective collective, DType dtype, int ranks, long maxBytes) {
        List<Long> counts = new ArrayList<>();
        for (long size = 8; size <= maxBytes; size *= 2) {
            long count = size / dtype.byteSize();
            if (collective == BenchedCollective.REDUCE_SCATTER || collective == BenchedCollective.ALL_GATHER) {
                count = count / ranks * ranks;
            }
            if (count > 0) {
                counts.add(count);
            }
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(BenchedCollective.class)
    @Timeout(120)
    void printsTheNcclTestsTableWithNothingWrongAndTheSameRowsAsJson(BenchedCollective collective) throws IOException {
        int ranks = 3;
        Path json = dir.resolve("bench.json");
        List<String> args = new ArrayList<>(List.of("bench", collective.cliName(), "--ranks", Integer.toString(ranks),
                "--max-bytes", "1K", "--iters", "2", "--warmup", "1", "--dtype", "fp32,fp16,bf16,int8,int32", "--json", json.toString()));
        if (collective.hasRoot()) {
            args.addAll(List.of("--root", "2"));
        }
        List<Row> rows = rows(args.toArray(String[]::new));

        List<Long> counts = new ArrayList<>();
        ALL_DTYPES.forEach(dtype -> counts.addAll(expectedCounts(collective, dtype, ranks, 1024)));
        assertEquals(counts, rows.stream().map(Row::count).toList());
        double factor = collective.busBandwidthFactor(ranks);
        for (Row row : rows) {
            DType dtype = DType.fromCliName(row.type());
            assertEquals(row.count() * dtype.byteSize(), row.bytes(), row.toString());
            assertEquals(0, row.wrong(), row.toString());
            assertEquals(collective.reduces() ? "sum" : "none", row.redop(), row.toString());
            assertEquals(collective.hasRoot() ? "2" : "-1", row.root(), row.toString());
            assertTrue(row.micros() > 0, row.toString());
            assertTrue(row.spread().matches("\\d+\\.\\d–\\d+\\.\\d"), row.toString());
            assertEquals(row.algbw() * factor, row.busbw(), 0.01 + 0.01 * row.busbw(), row.toString());
        }

        JsonNode benchmarks = new ObjectMapper().readTree(Files.readString(json)).get("benchmarks");
        assertEquals(rows.size(), benchmarks.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode point = benchmarks.get(i);
            Row row = rows.get(i);
            assertEquals(collective.cliName(), point.get("collective").asText());
            assertEquals("local", point.get("transport").asText());
            assertEquals(ranks, point.get("ranks").asInt());
            assertEquals(row.type(), point.get("dtype").asText());
            assertEquals(row.bytes(), point.get("sizeBytes").asLong());
            assertEquals(row.count(), point.get("count").asLong());
            assertEquals(row.algorithm(), point.get("algorithm").asText());
            assertEquals(collective.reduces(), !point.get("redop").isNull());
            assertEquals(collective.hasRoot(), !point.get("root").isNull());
            JsonNode time = point.get("timeMicros");
            assertEquals(row.micros(), time.get("median").asDouble(), 0.05 + 1e-3 * row.micros());
            assertTrue(time.get("min").asDouble() <= time.get("median").asDouble());
            assertTrue(time.get("median").asDouble() <= time.get("max").asDouble());
            assertEquals(factor, point.get("busbwFactor").asDouble(), 1e-12);
            assertEquals(point.get("algbwGBps").asDouble() * factor, point.get("busbwGBps").asDouble(), 1e-9);
            assertEquals(0, point.get("wrong").asLong());
            assertEquals(2, point.get("iterations").asInt());
        }
        assertTrue(new ObjectMapper().readTree(Files.readString(json)).get("machine").has("cpu"));
    }

    @ParameterizedTest
    @EnumSource(value = BenchedCollective.class, names = {"ALL_REDUCE", "REDUCE_SCATTER"})
    @Timeout(120)
    void everyReductionComesOutRightWithFourRanks(BenchedCollective collective) {
        for (ReduceOp op : ReduceOp.values()) {
            String dtypes = op == ReduceOp.AVG ? "fp32,fp16,bf16" : "fp32,fp16,bf16,int8,int32";
            List<Row> rows = rows("bench", collective.cliName(), "--ranks", "4", "--op", op.cliName(), "--dtype", dtypes,
                    "--min-bytes", "64", "--max-bytes", "256K", "--factor", "64", "--iters", "1", "--warmup", "0");
            assertEquals(3 * dtypes.split(",").length, rows.size());
            rows.forEach(row -> assertEquals(0, row.wrong(), op + ": " + row));
            rows.forEach(row -> assertEquals(op.cliName(), row.redop()));
        }
    }

    @Test
    @Timeout(120)
    void allReduceRunsEveryAlgorithmAndNamesTheOneAutoChose() {
        for (String algorithm : List.of("ring", "recursive-doubling", "halving-doubling", "tree")) {
            List<Row> rows = rows("bench", "allreduce", "--ranks", "4", "--algorithm", algorithm, "--dtype", "bf16",
                    "--min-bytes", "1K", "--max-bytes", "1M", "--factor", "32", "--iters", "1", "--warmup", "0");
            assertEquals(3, rows.size());
            rows.forEach(row -> assertEquals(algorithm, row.algorithm(), row.toString()));
            rows.forEach(row -> assertEquals(0, row.wrong(), row.toString()));
        }
        List<Row> auto = rows("bench", "allreduce", "--ranks", "2", "--min-bytes", "64K", "--max-bytes", "128K",
                "--iters", "1", "--warmup", "0");
        assertEquals(List.of("recursive-doubling", "ring"), auto.stream().map(Row::algorithm).toList());
        List<Row> autoOnFour = rows("bench", "allreduce", "--ranks", "4", "--min-bytes", "64K", "--max-bytes", "128K",
                "--iters", "1", "--warmup", "0");
        assertEquals(List.of("recursive-doubling", "halving-doubling"), autoOnFour.stream().map(Row::algorithm).toList());
    }

    @Test
    @Timeout(60)
    void oneRankMovesNothingAndSaysSo() {
        List<Row> rows = rows("bench", "allreduce", "--ranks", "1", "--max-bytes", "64", "--iters", "1", "--warmup", "0");
        assertEquals(4, rows.size());
        rows.forEach(row -> assertEquals(0, row.busbw(), row.toString()));
    }

    @Test
    @Timeout(60)
    void measuresTheSizesListedInsteadOfASweep() throws IOException {
        List<Row> rows = rows("bench", "allreduce", "--sizes", "400000,8,1K", "--dtype", "fp32,fp16", "--iters", "1", "--warmup", "0");
        assertEquals(List.of(400_000L, 8L, 1024L, 400_000L, 8L, 1024L), rows.stream().map(Row::bytes).toList());
        assertEquals(List.of(100_000L, 2L, 256L, 200_000L, 4L, 512L), rows.stream().map(Row::count).toList());
        Cli.assertRefused(dir, 2, "--sizes and --max-bytes exclude each other",
                List.of("bench", "allreduce", "--sizes", "8", "--max-bytes", "1K"));
        Cli.assertRefused(dir, 2, "--sizes: 'x' is not a size in bytes", List.of("bench", "allreduce", "--sizes", "8,x"));
    }

    /**
     * Over the MPI transport (ranks under mpirun, started by k4j) every FP32 and INT32 point also has
     * MPI_Allreduce's time and the ratio, and every FP16 point says why MPI has none.
     */
    @Test
    @Timeout(90)
    void theMpiTransportPutsMpiAllreduceNextToOurs() throws IOException {
        MpiTesting.assumeMpi();
        Path json = dir.resolve("mpi.json");
        Cli.Result result = Cli.run("bench", "allreduce", "--transport", "mpi", "--ranks", "2", "--max-bytes", "64K",
                "--dtype", "fp32,fp16,int32", "--iters", "3", "--warmup", "1", "--json", json.toString());
        assertEquals(0, result.exitCode(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("k4j bench allreduce: mpi transport, 2 ranks, "), result::toString);
        assertEquals(COLUMNS + "  peer  peer time (µs)  peer busbw (GB/s)  ratio", lines.get(1).replaceAll(" {2,}", "  "),
                result::toString);
        List<String[]> rows = lines.subList(3, lines.size()).stream().map(line -> line.strip().split(" {2,}")).toList();
        assertEquals(expectedCounts(BenchedCollective.ALL_REDUCE, DType.FP32, 2, 64 << 10).size()
                + expectedCounts(BenchedCollective.ALL_REDUCE, DType.FP16, 2, 64 << 10).size()
                + expectedCounts(BenchedCollective.ALL_REDUCE, DType.INT32, 2, 64 << 10).size(), rows.size(), result::toString);
        for (String[] row : rows) {
            String line = String.join(" | ", row);
            assertEquals("0", row[10], line);
            if (!row[2].equals("fp16")) {
                assertEquals(15, row.length, line);
                assertEquals("MPI_Allreduce", row[11], line);
                assertTrue(Double.parseDouble(row[12]) > 0, line);
                assertTrue(row[14].matches("\\d+\\.\\d\\d×"), line);
            } else {
                assertEquals("none (MPI has no FP16 datatype)", row[11], line);
            }
        }
        JsonNode benchmarks = new ObjectMapper().readTree(Files.readString(json)).get("benchmarks");
        assertEquals(rows.size(), benchmarks.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode point = benchmarks.get(i);
            assertEquals("mpi", point.get("transport").asText());
            JsonNode peer = point.get("peer");
            assertEquals("MPI_Allreduce", peer.get("name").asText());
            boolean measured = !rows.get(i)[2].equals("fp16");
            assertEquals(measured, peer.has("busbwGBps"), point.toString());
            assertEquals(measured, point.has("ratioToPeer"), point.toString());
            assertEquals(!measured, peer.has("absent"), point.toString());
        }
    }

    /** The other collectives over the MPI transport: nothing wrong, and MPI's own routine timed next to ours. */
    @ParameterizedTest
    @EnumSource(value = BenchedCollective.class, names = {"REDUCE_SCATTER", "ALL_GATHER", "BROADCAST"})
    @Timeout(90)
    void theMpiTransportRunsEveryCollectiveNextToMpisOwn(BenchedCollective collective) {
        MpiTesting.assumeMpi();
        List<String> args = new ArrayList<>(List.of("bench", collective.cliName(), "--transport", "mpi", "--ranks", "3",
                "--min-bytes", "96", "--max-bytes", "48K", "--factor", "32", "--dtype", "fp16,int32", "--iters", "2", "--warmup", "1"));
        if (collective.hasRoot()) {
            args.addAll(List.of("--root", "1"));
        }
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result::toString);
        List<String[]> rows = peerRows(result, "mpi", 3);
        assertEquals(4, rows.size(), result::toString);
        for (String[] row : rows) {
            String line = String.join(" | ", row);
            assertEquals("0", row[10], line);
            assertEquals(collective.hasRoot() ? "1" : "-1", row[4], line);
            if (row[2].equals("int32")) {
                assertEquals(collective.mpiRoutine(), row[11], line);
                assertTrue(row[14].matches("\\d+\\.\\d\\d×"), line);
            } else {
                assertEquals("none (MPI has no FP16 datatype)", row[11], line);
            }
        }
    }

    /** Under the local transport, --peer mpi puts MPI_Allreduce, measured in an MPI job of its own, in the same table. */
    @Test
    @Timeout(90)
    void theLocalTransportShowsMpiAllreduceFromAJobOfItsOwn() {
        MpiTesting.assumeMpi();
        Cli.Result result = Cli.run("bench", "allreduce", "--ranks", "2", "--peer", "mpi", "--min-bytes", "1K", "--max-bytes", "4K",
                "--dtype", "fp32,bf16", "--iters", "2", "--warmup", "1");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().lines().findFirst().orElseThrow().contains("peer: MPI_Allreduce in an MPI job of 2 processes"),
                result::toString);
        List<String[]> rows = peerRows(result, "local", 2);
        assertEquals(6, rows.size(), result::toString);
        for (String[] row : rows) {
            String line = String.join(" | ", row);
            assertEquals("0", row[10], line);
            if (row[2].equals("fp32")) {
                assertEquals("MPI_Allreduce", row[11], line);
                assertTrue(Double.parseDouble(row[12]) > 0, line);
                assertTrue(row[14].matches("\\d+\\.\\d\\d×"), line);
            } else {
                assertEquals("none (MPI has no BF16 datatype)", row[11], line);
            }
        }
    }

    /** The rows of a table with peer columns, split into cells, after checking its header lines. */
    private static List<String[]> peerRows(Cli.Result result, String transport, int ranks) {
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(0).startsWith("k4j bench "), result::toString);
        assertTrue(lines.get(0).contains(": " + transport + " transport, " + ranks + " ranks, "), result::toString);
        assertEquals(COLUMNS + "  peer  peer time (µs)  peer busbw (GB/s)  ratio", lines.get(1).replaceAll(" {2,}", "  "),
                result::toString);
        return lines.subList(3, lines.size()).stream().map(line -> line.strip().split(" {2,}")).toList();
    }

    @Test
    void refusesAPeerTheTransportCannotHave() throws IOException {
        Cli.assertRefused(dir, 2, "k4j: --peer none: the MPI transport always measures MPI's own collective in the same job",
                List.of("bench", "allreduce", "--transport", "mpi", "--peer", "none"));
        Cli.assertRefused(dir, 2, "k4j: --peer: unknown peer 'nccl' (mpi or none)", List.of("bench", "allreduce", "--peer", "nccl"));
    }

    /** Checked by k4j before it starts mpirun: the same exit 2 and one line as for the local transport. */
    @Test
    void refusesBadInputUnderTheMpiTransportBeforeLaunching() throws IOException {
        Cli.assertRefused(dir, 2, "k4j: --max-bytes: 1024 is less than --min-bytes 2048",
                Arrays.asList("bench", "allreduce", "--transport", "mpi", "--min-bytes", "2K", "--max-bytes", "1K",
                        "--json", dir.resolve("b.json").toString()));
    }
}
