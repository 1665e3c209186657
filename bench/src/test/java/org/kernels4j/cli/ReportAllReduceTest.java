package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Kernels;
import org.kernels4j.bench.AllReduceSizeSet;
import org.kernels4j.bench.Timing;
import org.kernels4j.comm.Algorithm;
import org.kernels4j.comm.ReduceOp;
import org.kernels4j.comm.mpi.MpiTesting;
import org.kernels4j.report.Measurement;

/** The report's all-reduce rows: bus bandwidth from the nccl-tests rows, the MPI peer, wrong elements as failures. */
class ReportAllReduceTest {
    private static final ReportAllReduce.Plan PLAN = new ReportAllReduce.Plan(AllReduceSizeSet.withBytes(8, 64 << 10), 2, 1, false);

    private static CollectiveBench.Row row(DType dtype, long bytes, Timing timing, long wrong, CollectiveBench.Peer peer) {
        CollectiveBench.Plan plan = new CollectiveBench.Plan(BenchedCollective.ALL_REDUCE, CommTransport.MPI, 2, "VectorReducer",
                List.of(dtype), ReduceOp.SUM, -1, Algorithm.AUTO, List.of(bytes), timing.runs(), 1);
        return new CollectiveBench.Row(plan, dtype, bytes, bytes / dtype.byteSize(), Algorithm.RING, timing, wrong, peer);
    }

    private static Measurement measurement(CollectiveBench.Row row) {
        return ReportAllReduce.measurement(new ObjectMapper().valueToTree(row.toJson()), ReportAllReduce.MPI, PLAN);
    }

    @Test
    void rateIsTheBusBandwidthWithTheSpreadAndTheMpiPeer() {
        Timing ours = new Timing(new double[] {1e-3, 2e-3, 4e-3});
        Timing mpi = new Timing(new double[] {4e-3, 4e-3, 8e-3});
        Measurement m = measurement(row(DType.FP32, 64 << 10, ours, 0, new CollectiveBench.Peer("MPI_Allreduce", mpi)));
        double busBytes = (64 << 10) * 2.0 * (2 - 1) / 2 * 1e-9;
        assertEquals(List.of("allreduce", ReportAllReduce.MPI, "fp32", "fp32", "GB/s", Measurement.OK, 2),
                List.of(m.op(), m.backend(), m.dtype(), m.outputDtype(), m.unit(), m.status(), m.threads()));
        assertEquals(busBytes / 2e-3, m.median(), 1e-12);
        assertEquals(busBytes / 4e-3, m.low(), 1e-12);
        assertEquals(busBytes / 1e-3, m.high(), 1e-12);
        assertEquals(busBytes / 4e-3, m.peer().median(), 1e-12);
        assertEquals(2.0, m.peerRatio(), 1e-9);
        assertNull(m.bytesPerCall(), "no roofline point for a collective");
        assertEquals("64 KiB", m.shape().label());
        assertEquals(List.of(65536L, 16384L, 2L, "sum", "ring", "mpi"), List.copyOf(m.shape().parameters().values()));
        assertEquals(AllReduceSizeSet.SWEEP, m.shape().name());
    }

    @Test
    void saysWhyThereIsNoPeerAndFailsOnWrongElements() {
        Timing timing = new Timing(new double[] {1e-4});
        Measurement fp16 = measurement(row(DType.FP16, 8, timing, 0, CollectiveBench.Peer.absent("MPI_Allreduce", "MPI has no FP16 datatype")));
        assertEquals(Measurement.OK, fp16.status());
        assertNull(fp16.peer());
        assertEquals("no peer: MPI has no FP16 datatype", fp16.message());
        Measurement wrong = measurement(row(DType.INT32, 8, timing, 3, null));
        assertEquals(List.of(Measurement.FAILED, "3 wrong elements"), List.of(wrong.status(), wrong.message()));
    }

    @Test
    void labelsSizesExactly() {
        assertEquals(List.of("8 B", "1 KiB", "256 MiB", "400000 B", "258000000 B"),
                List.of(ReportAllReduce.label(8), ReportAllReduce.label(1024), ReportAllReduce.label(256L << 20),
                        ReportAllReduce.label(400_000), ReportAllReduce.label(258_000_000)));
    }

    @Test
    @Timeout(120)
    void measuresEveryDtypeAndSizeOverTheLocalTransport() {
        List<String> notes = new ArrayList<>();
        List<Measurement> rows = run(PLAN, notes);
        assertEquals(List.of("fp32:8 B", "fp32:64 KiB", "int32:8 B", "int32:64 KiB"),
                rows.stream().map(m -> m.dtype() + ":" + m.shape().label()).toList());
        assertTrue(rows.stream().allMatch(m -> m.ok() && m.backend().equals(ReportAllReduce.LOCAL) && m.median() > 0), rows::toString);
        assertEquals(List.of("all-reduce over MPI and its peer MPI_Allreduce not measured: not in this mode"), notes);
    }

    /** Over MPI too, when it is present: the job k4j starts has MPI_Allreduce as the peer of the FP32 and INT32 points. */
    @Test
    @Timeout(240)
    void addsTheMpiTransportWithMpiAllreduceAsThePeer() {
        MpiTesting.assumeMpi();
        List<String> notes = new ArrayList<>();
        List<Measurement> rows = run(new ReportAllReduce.Plan(AllReduceSizeSet.withBytes(64 << 10), 2, 1, true), notes);
        assertEquals(List.of(ReportAllReduce.LOCAL, ReportAllReduce.LOCAL, ReportAllReduce.MPI, ReportAllReduce.MPI),
                rows.stream().map(Measurement::backend).toList(), rows::toString);
        assertTrue(rows.stream().allMatch(Measurement::ok), rows::toString);
        Measurement mpiFp32 = rows.get(2);
        assertEquals("fp32", mpiFp32.dtype());
        assertEquals("MPI_Allreduce", mpiFp32.peer().name());
        assertTrue(mpiFp32.peerRatio() > 0, mpiFp32::toString);
        assertTrue(notes.isEmpty(), notes::toString);
        assertTrue(ReportAllReduce.mpiPeer().available());
        assertTrue(ReportAllReduce.mpiPeer().device().startsWith("MPI_Allreduce of "), ReportAllReduce.mpiPeer()::toString);
        assertEquals(List.of("fp32", "int32"), ReportAllReduce.mpiPeer().dtypes());
    }

    private static List<Measurement> run(ReportAllReduce.Plan plan, List<String> notes) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Kernels kernels = Kernels.open()) {
            return ReportAllReduce.run(plan, List.of(DType.FP32, DType.INT32), kernels, new Terminal(quiet, quiet, false), notes);
        }
    }
}
