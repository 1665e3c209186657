package org.kernels4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuInfoTest {
    @Test
    void parsesSysfsCacheSizes() {
        assertEquals(Optional.of(32L * 1024), CpuInfo.parseSize("32K"));
        assertEquals(Optional.of(32L * 1024 * 1024), CpuInfo.parseSize("32768K\n"));
        assertEquals(Optional.of(2L * 1024 * 1024), CpuInfo.parseSize("2M"));
        assertEquals(Optional.of(512L), CpuInfo.parseSize("512"));
        assertFalse(CpuInfo.parseSize("").isPresent());
        assertFalse(CpuInfo.parseSize("lots").isPresent());
        assertFalse(CpuInfo.parseSize("0K").isPresent());
    }

    @Test
    void detectsSomethingUsableOnAnyMachine() {
        CpuInfo cpu = CpuInfo.detect();
        assertFalse(cpu.modelName().isBlank());
        assertTrue(cpu.l2Bytes() > 0 && cpu.l3Bytes() > 0, cpu.toString());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CpuInfo(" ", 1, 1));
        assertEquals("l2Bytes: 0 is not positive",
                assertThrows(IllegalArgumentException.class, () -> new CpuInfo("cpu", 0, 1)).getMessage());
    }
}
