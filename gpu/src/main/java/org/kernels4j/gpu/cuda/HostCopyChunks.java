package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a copy of {@code rows} rows of {@code width} bytes between host memory (rows {@code hostPitch} apart)
 * and device memory (rows {@code devicePitch} apart) into pieces that fit one half of the pinned staging buffer
 * ({@link PinnedStaging}), where a piece's rows lie packed, {@code width} bytes apart. A dense copy (one row, or no
 * padding on either side) is split by bytes, a strided one by whole rows, and a row wider than the buffer by bytes
 * within the row.
 */
final class HostCopyChunks {
    /**
     * One 2-D copy: {@code rows} rows of {@code width} bytes from these byte offsets on either side; packed, they
     * take {@code rows × width} bytes.
     */
    record Chunk(long hostOffset, long deviceOffset, long rows, long width) {
        long packedBytes() {
            return rows * width;
        }
    }

    private HostCopyChunks() {
    }

    static List<Chunk> split(long rows, long width, long hostPitch, long devicePitch, long maxBytes) {
        if (rows < 0 || width < 0 || hostPitch < width || devicePitch < width || maxBytes < 1) {
            throw new IllegalArgumentException("rows, width, hostPitch, devicePitch, maxBytes: " + rows + ", " + width + ", "
                    + hostPitch + ", " + devicePitch + ", " + maxBytes + " (pitches at least the width, all non-negative)");
        }
        List<Chunk> chunks = new ArrayList<>();
        if (rows == 0 || width == 0) {
            return chunks;
        }
        if (rows == 1 || (hostPitch == width && devicePitch == width)) {
            splitRow(0, 0, Math.multiplyExact(rows, width), maxBytes, chunks);
        } else if (width > maxBytes) {
            for (long row = 0; row < rows; row++) {
                splitRow(row * hostPitch, row * devicePitch, width, maxBytes, chunks);
            }
        } else {
            long rowsPerChunk = maxBytes / width;
            for (long row = 0; row < rows; row += rowsPerChunk) {
                chunks.add(new Chunk(row * hostPitch, row * devicePitch, Math.min(rowsPerChunk, rows - row), width));
            }
        }
        return chunks;
    }

    private static void splitRow(long hostOffset, long deviceOffset, long bytes, long maxBytes, List<Chunk> chunks) {
        for (long offset = 0; offset < bytes; offset += maxBytes) {
            chunks.add(new Chunk(hostOffset + offset, deviceOffset + offset, 1, Math.min(maxBytes, bytes - offset)));
        }
    }
}
