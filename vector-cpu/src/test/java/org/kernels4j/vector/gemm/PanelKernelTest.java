package org.kernels4j.vector.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.vector.CpuInfo;
import org.kernels4j.vector.WorkerPool;

/** The packing primitives convolution builds its panels from; the products themselves are checked through conv2d. */
class PanelKernelTest {
    @Test
    void interleavesRowsIntoAPanelAndZeroesTheMissingLanes() {
        try (WorkerPool pool = new WorkerPool(1, "panel-test")) {
            PanelKernel panels = new VectorGemm(pool, CpuInfo.detect(), GemmConfig.AUTOMATIC).floatPanels(DType.FP32);
            int width = 8;
            int lines = 6;  // two full groups of four rows would need 8: the last two lanes are padding
            int depth = 300;  // more than one depth chunk
            int stride = depth + 5;
            float[] rows = new float[lines * stride];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i + 1;
            }
            float[] target = new float[3 + width * depth];
            Arrays.fill(target, Float.NaN);
            panels.interleave(rows, 0, stride, lines, depth, target, 3, width);
            for (int p = 0; p < depth; p++) {
                for (int j = 0; j < width; j++) {
                    float expected = j < lines ? rows[j * stride + p] : 0f;
                    assertEquals(expected, target[3 + p * width + j], "depth " + p + ", lane " + j);
                }
            }
            assertEquals(Float.NaN, target[0]);
        }
    }

    @Test
    void widensContiguousAndStridedRunsOfEveryFloatDtype() {
        try (WorkerPool pool = new WorkerPool(1, "panel-test"); Arena arena = Arena.ofConfined()) {
            VectorGemm gemm = new VectorGemm(pool, CpuInfo.detect(), GemmConfig.AUTOMATIC);
            int count = 150;  // long enough for the bulk FP32 copy, with a tail
            MemorySegment floats = arena.allocate(ValueLayout.JAVA_FLOAT, 2 * count);
            MemorySegment halves = arena.allocate(ValueLayout.JAVA_SHORT, 2 * count);
            for (int i = 0; i < 2 * count; i++) {
                floats.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.25f * i - 7);
                halves.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(0.25f * i - 7));
            }
            float[] expected = new float[count];
            for (int stride = 1; stride <= 2; stride++) {
                for (int i = 0; i < count; i++) {
                    expected[i] = 0.25f * (1 + i * stride) - 7;
                }
                float[] fromFloats = new float[count];
                gemm.floatPanels(DType.FP32).widen(floats, 1, stride, count, fromFloats, 0);
                assertArrayEquals(expected, fromFloats, "FP32, stride " + stride);
                float[] fromHalves = new float[count];
                gemm.floatPanels(DType.FP16).widen(halves, 1, stride, count, fromHalves, 0);
                assertArrayEquals(expected, fromHalves, "FP16, stride " + stride);
            }
        }
    }

    @Test
    void refusesMoreLinesThanThePanelIsWide() {
        try (WorkerPool pool = new WorkerPool(1, "panel-test")) {
            PanelKernel panels = new VectorGemm(pool, CpuInfo.detect(), GemmConfig.AUTOMATIC).int8Panels();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> panels.interleave(new float[40], 0, 8, 5, 8, new float[64], 0, 4));
            assertEquals("lines: 5 exceed the panel width 4", e.getMessage());
        }
    }
}
