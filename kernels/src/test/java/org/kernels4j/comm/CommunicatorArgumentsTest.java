package org.kernels4j.comm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/** Every rejected argument names the parameter and the value; a rejected call poisons the group. */
@Timeout(10)
class CommunicatorArgumentsTest {
    private List<Communicator> comms;
    private Communicator comm;

    @BeforeEach
    void createTwoRanks() {
        comms = LocalCluster.create(2);
        comm = comms.get(0);
    }

    @AfterEach
    void closeRanks() throws Exception {
        Ranks.closeAll(comms);
    }

    @Test
    void countMismatchNamesOutAndBothCounts() {
        try (Tensor in = Tensor.allocate(DType.FP32, 2); Tensor out = Tensor.allocate(DType.FP32, 3)) {
            assertRejected("out: 3 elements, but in has 2", () -> comm.allReduce(in, out, ReduceOp.SUM));
        }
    }

    @Test
    void dtypeMismatchNamesBothDtypes() {
        try (Tensor in = Tensor.allocate(DType.FP32, 2); Tensor out = Tensor.allocate(DType.BF16, 2)) {
            assertRejected("out: dtype BF16 differs from in's FP32", () -> comm.reduce(in, out, ReduceOp.MAX, 0));
        }
    }

    @Test
    void nonContiguousTensorsAreRejected() {
        try (Tensor padded = Tensor.allocateMatrix(DType.FP32, 2, 2, 3)) {
            assertRejected("buffer: " + padded + " is not contiguous", () -> comm.broadcast(padded, 0));
        }
    }

    @Test
    void rootOutsideTheGroupIsRejected() {
        try (Tensor buffer = Tensor.allocate(DType.INT32, 2)) {
            assertRejected("root: 2 outside [0, 2)", () -> comm.broadcast(buffer, 2));
        }
    }

    @Test
    void negativeRootIsRejected() {
        try (Tensor in = Tensor.allocate(DType.INT32, 2); Tensor out = Tensor.allocate(DType.INT32, 2)) {
            assertRejected("root: -1 outside [0, 2)", () -> comm.reduce(in, out, ReduceOp.SUM, -1));
        }
    }

    @Test
    void averageOfIntegersIsRejectedNamingOpAndDtype() {
        try (Tensor buffer = Tensor.allocate(DType.INT8, 2)) {
            assertRejected("op: AVG is not defined for integer dtype INT8", () -> comm.allReduce(buffer, buffer, ReduceOp.AVG));
        }
    }

    @Test
    void reduceScatterNeedsSizeTimesTheOutputCount() {
        try (Tensor in = Tensor.allocate(DType.FP16, 5); Tensor out = Tensor.allocate(DType.FP16, 2)) {
            assertRejected("in: 5 elements, but size() × out has 4", () -> comm.reduceScatter(in, out, ReduceOp.SUM));
        }
    }

    @Test
    void allGatherNeedsSizeTimesTheInputCount() {
        try (Tensor in = Tensor.allocate(DType.FP16, 2); Tensor out = Tensor.allocate(DType.FP16, 3)) {
            assertRejected("out: 3 elements, but size() × in has 4", () -> comm.allGather(in, out));
        }
    }

    @Test
    void partlyOverlappingBuffersAreRejected() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(64);
            Tensor in = Tensor.wrap(memory, DType.FP32, new long[] {8}, new long[] {1});
            Tensor out = Tensor.wrap(memory.asSlice(4), DType.FP32, new long[] {8}, new long[] {1});
            assertRejected("without being the same buffer", () -> comm.allReduce(in, out, ReduceOp.SUM));
        }
    }

    @Test
    void nullOpIsRejected() {
        try (Tensor buffer = Tensor.allocate(DType.FP32, 2)) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> comm.allReduce(buffer, buffer, null));
            assertTrue(e.getMessage().contains("op"), e.getMessage());
        }
    }

    @Test
    void optionsAndClusterSizeAreChecked() {
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> CommunicatorOptions.defaults().withTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().startsWith("timeout: PT0S"), timeout.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> LocalCluster.create(0));
        assertTrue(size.getMessage().startsWith("size: 0"), size.getMessage());
    }

    /** The call fails with {@code message}, and afterwards both ranks are poisoned. */
    private void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        for (Communicator c : comms) {
            assertThrows(IllegalStateException.class, c::barrier);
        }
    }
}
