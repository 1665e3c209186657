package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a copy of {@code rows} rows of {@code width} bytes between host memory (rows {@code hostPitch}
 * apart) and device memory (rows {@code devicePitch} apart) into pieces whose host span fits one
 * {@link java.nio.ByteBuffer} (JCuda's way to pass host memory), so that tensors beyond 2 GiB copy too.
 * A dense copy (one row, or no padding on either side) is split by bytes, a strided one by whole rows.
 */
final class HostCopyChunks {
    /** The host span of one piece: 1 GiB, well inside a ByteBuffer's int range. */
    static final long MAX_SPAN = 1L << 30;

    /**
     * One 2-D copy: {@code rows} rows of {@code width} bytes, starting at these byte offsets.
     */
    record Chunk(long hostOffset, long deviceOffset, long rows, long width) {
    }

    private HostCopyChunks() {
    }

    static List<Chunk> split(long rows, long width, long hostPitch, long devicePitch, long maxSpan) {
        if (rows < 0 || width < 0 || hostPitch < width || devicePitch < width || maxSpan < 1) {
            throw new IllegalArgumentException("rows, width, hostPitch, devicePitch, maxSpan: " + rows + ", " + width + ", "
                    + hostPitch + ", " + devicePitch + ", " + maxSpan + " (pitches at least the width, all non-negative)");
        }
        List<Chunk> chunks = new ArrayList<>();
        if (rows == 0 || width == 0) {
            return chunks;
        }
        if (rows == 1 || (hostPitch == width && devicePitch == width)) {
            long total = Math.multiplyExact(rows, width);
            for (long offset = 0; offset < total; offset += maxSpan) {
                chunks.add(new Chunk(offset, offset, 1, Math.min(maxSpan, total - offset)));
            }
            return chunks;
        }
        if (width > maxSpan) {
            throw new IllegalArgumentException("width: " + width + " bytes per padded row exceeds " + maxSpan);
        }
        long rowsPerChunk = (maxSpan - width) / hostPitch + 1;
        for (long row = 0; row < rows; row += rowsPerChunk) {
            chunks.add(new Chunk(row * hostPitch, row * devicePitch, Math.min(rowsPerChunk, rows - row), width));
        }
        return chunks;
    }
}
