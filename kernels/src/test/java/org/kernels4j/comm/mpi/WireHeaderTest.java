package org.kernels4j.comm.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.CollectiveHeader;
import org.kernels4j.comm.ReduceOp;

class WireHeaderTest {

    @Test
    @Timeout(10)
    void everyHeaderSurvivesTheTrip() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(WireHeader.BYTES);
            for (Collective collective : Collective.values()) {
                for (DType dtype : new DType[] {null, DType.FP32, DType.INT8}) {
                    for (ReduceOp op : new ReduceOp[] {null, ReduceOp.AVG}) {
                        CollectiveHeader header = new CollectiveHeader(collective, 1L << 40, dtype, 3_000_000_000L, op, 5);
                        WireHeader.encode(header, 1L << 33, bytes);
                        WireHeader.Received received = WireHeader.decode(bytes);
                        assertEquals(Optional.of(header), received.header());
                        assertEquals(1L << 33, received.payloadBytes());
                    }
                }
            }
        }
    }

    @Test
    @Timeout(10)
    void foreignBytesAreReportedAsUnrecognised() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(WireHeader.BYTES);
            WireHeader.encode(new CollectiveHeader(Collective.BARRIER, 0, null, 0, null, -1), 0, bytes);
            bytes.set(ValueLayout.JAVA_INT, 4, 99); // no such collective
            assertEquals("an unrecognised message", WireHeader.decode(bytes).describe());
            bytes.set(ValueLayout.JAVA_INT, 0, 0);
            assertTrue(WireHeader.decode(bytes).header().isEmpty());
        }
    }
}
