package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;

class GemmShapeAndTimingTest {
    @Test
    void parsesSquareAndExplicitShapes() {
        assertEquals(new GemmShape(512, 512, 512), GemmShape.parse("512"));
        assertEquals(new GemmShape(1, 4096, 11008), GemmShape.parse("1x4096x11008"));
        assertEquals(new GemmShape(2, 3, 4), GemmShape.parse(" 2×3×4 "));
        assertEquals(2.0 * 2 * 3 * 4, GemmShape.parse("2x3x4").operations());
        assertEquals("2×3×4", GemmShape.parse("2x3x4").toString());
    }

    @Test
    void refusesShapesThatAreNotPositive() {
        assertEquals("'0' has an extent of 0; sizes must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("0")).getMessage());
        assertEquals("'-5' has an extent of -5; sizes must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("-5")).getMessage());
        assertEquals("'4x5' is neither a size (512) nor MxNxK (1x4096x4096)",
                assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("4x5")).getMessage());
        assertEquals("'big' is neither a size (512) nor MxNxK (1x4096x4096)",
                assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("big")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GemmShape(1, 0, 1));
    }

    @Test
    void timingReportsMedianAndExtremes() {
        Timing odd = new Timing(new double[] {3, 1, 2});
        assertEquals(2, odd.median());
        assertEquals(1, odd.fastest());
        assertEquals(3, odd.slowest());
        assertArrayEquals(new double[] {1, 2, 3}, odd.samples());
        Timing even = new Timing(new double[] {4, 1, 2, 3});
        assertEquals(2.5, even.median());
        assertEquals(4, even.medianRate(10));
        assertEquals(2.5, even.lowRate(10));
        assertEquals(10, even.highRate(10));
        assertThrows(IllegalArgumentException.class, () -> new Timing(new double[0]));
    }

    @Test
    void timerRunsOnlyTheMeasuredCallsWithoutWarmup() {
        assertEquals(3, callsFor(new GemmTimer(0, Duration.ZERO, Duration.ZERO, 3)));
    }

    @Test
    void timerStopsWarmingUpAtTheLimit() {
        assertEquals(1 + 3, callsFor(new GemmTimer(2, Duration.ZERO, Duration.ZERO, 3)));
    }

    @Test
    void timerWarmsUpUntilTheSpeedSettlesOverTwoWindows() {
        int calls = callsFor(new GemmTimer(4, Duration.ZERO, Duration.ofHours(1), 3));
        assertTrue(calls >= 2 * 4 + 3, "a window to compare against and a settled one: " + calls + " calls");
    }

    @Test
    void timerRefusesImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new GemmTimer(-1, Duration.ZERO, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new GemmTimer(0, Duration.ZERO, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new GemmTimer(0, Duration.ofMillis(-1), Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new GemmTimer(0, Duration.ofSeconds(2), Duration.ofSeconds(1), 1));
    }

    @Test
    void aMeasuringBudgetStopsAfterTheFirstCallThatExceedsIt() {
        int[] calls = {0};
        GemmSpec spec = GemmSpec.builder().m(3).n(3).k(3).inputType(DType.FP32).build();
        try (GemmOperands operands = GemmOperands.create(spec, 1)) {
            Timing timing = new GemmTimer(0, Duration.ZERO, Duration.ZERO, 5, Duration.ZERO).time(counting(calls), spec, operands);
            assertEquals(1, timing.runs());
            assertEquals(1, calls[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> new GemmTimer(0, Duration.ZERO, Duration.ZERO, 1, Duration.ofSeconds(-1)));
    }

    private static int callsFor(GemmTimer timer) {
        int[] calls = {0};
        GemmSpec spec = GemmSpec.builder().m(3).n(3).k(3).inputType(DType.FP32).build();
        try (GemmOperands operands = GemmOperands.create(spec, 1)) {
            Timing timing = timer.time(counting(calls), spec, operands);
            assertEquals(timer.measuredRuns(), timing.runs());
            assertTrue(timing.fastest() > 0);
        }
        return calls[0];
    }

    /** The reference backend, counting its GEMM calls. */
    private static Backend counting(int[] calls) {
        ReferenceBackend reference = new ReferenceBackend();
        return new Backend() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Device device() {
                return reference.device();
            }

            @Override
            public Availability supports(GemmSpec spec) {
                return reference.supports(spec);
            }

            @Override
            public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                calls[0]++;
                reference.gemm(spec, a, b, c);
            }

            @Override
            public void close() {
            }
        };
    }
}
