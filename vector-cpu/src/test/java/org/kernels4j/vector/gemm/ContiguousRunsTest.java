package org.kernels4j.vector.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class ContiguousRunsTest {
    private static final int COUNT = 37;  // whole vectors and a tail at every vector width
    private static final int FLOAT_LANES = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void copiesTheWholeVectorPrefixOfAnFp32RunBitForBit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(ValueLayout.JAVA_FLOAT, COUNT + 3);
            for (int i = 0; i < COUNT + 3; i++) {
                source.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 5 == 0 ? Float.NaN : -1.5f * i);
            }
            float[] target = new float[COUNT + 2];
            int copied = ContiguousRuns.copyFloats(source, 3, COUNT, target, 2);
            assertEquals(COUNT - COUNT % FLOAT_LANES, copied);
            for (int i = 0; i < copied; i++) {
                assertEquals(Float.floatToRawIntBits(source.getAtIndex(ValueLayout.JAVA_FLOAT, 3 + i)),
                        Float.floatToRawIntBits(target[2 + i]), "element " + i);
            }
        }
    }

    @Test
    void widensEveryBf16BitPatternExactly() {
        try (Arena arena = Arena.ofConfined()) {
            int count = 1 << 16;
            MemorySegment source = arena.allocate(ValueLayout.JAVA_SHORT, count);
            for (int i = 0; i < count; i++) {
                source.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) i);
            }
            float[] target = new float[count];
            assertEquals(count, ContiguousRuns.widenBFloat16(source, 0, count, target, 0));
            for (int i = 0; i < count; i++) {
                assertEquals(i << 16, Float.floatToRawIntBits(target[i]), "bits " + Integer.toHexString(i));
            }
        }
    }

    @Test
    void widensEveryInt8ValueExactlyFromAnOffset() {
        int count = 256 + COUNT;
        byte[] values = new byte[count + 5];
        for (int i = 0; i < count; i++) {
            values[5 + i] = (byte) i;
        }
        float[] target = new float[count + 2];
        int widened = ContiguousRuns.widenBytes(values, 5, count, target, 2);
        boolean vectors = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
        assertEquals(vectors ? count - count % FLOAT_LANES : 0, widened);
        for (int i = 0; i < widened; i++) {
            assertEquals((float) (byte) i, target[2 + i], "value " + (byte) i);
        }
    }

    @Test
    void widensEveryFp16BitPatternExactlyFromAnOffset() {
        try (Arena arena = Arena.ofConfined()) {
            int count = 1 << 16;
            MemorySegment source = arena.allocate(ValueLayout.JAVA_SHORT, count + 1);
            for (int i = 0; i < count; i++) {
                source.setAtIndex(ValueLayout.JAVA_SHORT, i + 1, (short) i);
            }
            float[] target = new float[count + 3];
            ContiguousRuns.widenFloat16(source, 1, count, new short[count], target, 3);
            for (int i = 0; i < count; i++) {
                assertEquals(Float.floatToRawIntBits(Float.float16ToFloat((short) i)), Float.floatToRawIntBits(target[3 + i]),
                        "bits " + Integer.toHexString(i));
            }
        }
    }
}
