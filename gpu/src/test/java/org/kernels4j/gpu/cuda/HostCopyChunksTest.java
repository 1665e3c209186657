package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.kernels4j.gpu.cuda.HostCopyChunks.Chunk;

class HostCopyChunksTest {
    @Test
    void denseCopiesSplitByBytes() {
        assertEquals(List.of(new Chunk(0, 0, 1, 100), new Chunk(100, 100, 1, 100), new Chunk(200, 200, 1, 50)),
                HostCopyChunks.split(10, 25, 25, 25, 100));
        assertEquals(List.of(new Chunk(0, 0, 1, 3_000_000_000L / 2), new Chunk(1_500_000_000L, 1_500_000_000L, 1, 1_500_000_000L)),
                HostCopyChunks.split(1, 3_000_000_000L, 3_000_000_000L, 3_000_000_000L, 1_500_000_000L));
    }

    @Test
    void stridedCopiesSplitByWholeRows() {
        // rows of 10 bytes, 16 apart on the host, 12 on the device; spans of at most 50 bytes hold 3 rows (16+16+10).
        assertEquals(List.of(new Chunk(0, 0, 3, 10), new Chunk(48, 36, 3, 10), new Chunk(96, 72, 1, 10)),
                HostCopyChunks.split(7, 10, 16, 12, 50));
    }

    @Test
    void emptyCopiesHaveNoChunksAndBadArgumentsAreNamed() {
        assertEquals(List.of(), HostCopyChunks.split(0, 10, 10, 10, 100));
        assertEquals(List.of(), HostCopyChunks.split(5, 0, 10, 10, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostCopyChunks.split(2, 10, 8, 10, 100));
        assertTrue(e.getMessage().startsWith("rows, width, hostPitch, devicePitch, maxSpan: 2, 10, 8, 10, 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostCopyChunks.split(2, 200, 300, 300, 100));
    }

    @Property(tries = 500)
    void chunksCoverEveryRowOnceWithinTheSpan(@ForAll @IntRange(min = 1, max = 200) int rows,
                                              @ForAll @IntRange(min = 1, max = 50) int width,
                                              @ForAll @IntRange(min = 0, max = 30) int hostPadding,
                                              @ForAll @IntRange(min = 0, max = 30) int devicePadding,
                                              @ForAll @IntRange(min = 80, max = 5000) int maxSpan) {
        long hostPitch = width + hostPadding;
        List<Chunk> chunks = HostCopyChunks.split(rows, width, hostPitch, width + devicePadding, maxSpan);
        boolean dense = rows == 1 || (hostPadding == 0 && devicePadding == 0);
        long bytes = 0;
        long nextHost = 0;
        for (Chunk chunk : chunks) {
            long span = (chunk.rows() - 1) * hostPitch + chunk.width();
            assertTrue(span <= maxSpan, chunk + " spans " + span);
            assertEquals(nextHost, chunk.hostOffset(), "chunks follow each other");
            bytes += chunk.rows() * chunk.width();
            nextHost += dense ? chunk.width() : chunk.rows() * hostPitch;
        }
        assertEquals((long) rows * width, bytes);
    }
}
