package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CudaLaunchTest {
    @Test
    void gridsAndBlocksStayWithinCudaLimits() {
        new CudaLaunch(Integer.MAX_VALUE, 65535, 65535, 1024, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> new CudaLaunch(0, 1, 1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CudaLaunch(1, 65536, 1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CudaLaunch(1, 1, 65536, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CudaLaunch(1, 1, 1, 64, 32, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CudaLaunch(1, 1, 1, 1, 1, -1));
        assertEquals("sharedBytes: -1 is negative", e.getMessage());
        assertTrue(CudaLaunch.fits(Integer.MAX_VALUE, 65535, 1));
        assertFalse(CudaLaunch.fits(1L << 31, 1, 1));
    }

    @Test
    void tilesRoundUpAndNeverReturnZero() {
        assertEquals(1, CudaLaunch.tiles(0, 128));
        assertEquals(1, CudaLaunch.tiles(128, 128));
        assertEquals(2, CudaLaunch.tiles(129, 128));
        assertThrows(IllegalArgumentException.class, () -> CudaLaunch.tiles(-1, 128));
        assertThrows(IllegalArgumentException.class, () -> CudaLaunch.tiles(1, 0));
    }
}
