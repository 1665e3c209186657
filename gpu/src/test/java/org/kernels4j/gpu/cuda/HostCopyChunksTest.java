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
    void stridedCopiesSplitByWholeRowsThatFitPacked() {
        // rows of 10 bytes, 16 apart on the host, 12 on the device; 50 staged bytes hold 5 packed rows.
        assertEquals(List.of(new Chunk(0, 0, 5, 10), new Chunk(80, 60, 2, 10)), HostCopyChunks.split(7, 10, 16, 12, 50));
    }

    @Test
    void rowsWiderThanTheStagingBufferSplitWithinTheRow() {
        assertEquals(List.of(new Chunk(0, 0, 1, 100), new Chunk(100, 100, 1, 100), new Chunk(300, 250, 1, 100),
                new Chunk(400, 350, 1, 100)), HostCopyChunks.split(2, 200, 300, 250, 100));
    }

    @Test
    void emptyCopiesHaveNoChunksAndBadArgumentsAreNamed() {
        assertEquals(List.of(), HostCopyChunks.split(0, 10, 10, 10, 100));
        assertEquals(List.of(), HostCopyChunks.split(5, 0, 10, 10, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostCopyChunks.split(2, 10, 8, 10, 100));
        assertTrue(e.getMessage().startsWith("rows, width, hostPitch, devicePitch, maxBytes: 2, 10, 8, 10, 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostCopyChunks.split(2, 10, 10, 10, 0));
    }

    @Property(tries = 500)
    void chunksCopyEveryByteOnceToItsPlaceAndFitTheBuffer(@ForAll @IntRange(min = 1, max = 60) int rows,
                                                         @ForAll @IntRange(min = 1, max = 50) int width,
                                                         @ForAll @IntRange(min = 0, max = 30) int hostPadding,
                                                         @ForAll @IntRange(min = 0, max = 30) int devicePadding,
                                                         @ForAll @IntRange(min = 1, max = 400) int maxBytes) {
        long hostPitch = width + hostPadding;
        long devicePitch = width + devicePadding;
        int[] copies = new int[rows * width];
        for (Chunk chunk : HostCopyChunks.split(rows, width, hostPitch, devicePitch, maxBytes)) {
            assertTrue(chunk.packedBytes() <= maxBytes, chunk + " exceeds " + maxBytes);
            for (long r = 0; r < chunk.rows(); r++) {
                for (long b = 0; b < chunk.width(); b++) {
                    long hostByte = chunk.hostOffset() + r * hostPitch + b;
                    long row = hostByte / hostPitch;
                    long column = hostByte % hostPitch;
                    assertTrue(row < rows && column < width, chunk + " reaches host byte " + hostByte);
                    assertEquals(row * devicePitch + column, chunk.deviceOffset() + r * devicePitch + b, chunk + " device byte");
                    copies[(int) (row * width + column)]++;
                }
            }
        }
        for (int i = 0; i < copies.length; i++) {
            assertEquals(1, copies[i], "byte " + i + " of the packed rows");
        }
    }
}
