package org.kernels4j.io;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads {@code .npy} files of format version 1.0 or 2.0 holding a C-order array of one of the
 * {@link NpyDType}s. Bytes after the data are ignored, as numpy does (several arrays may be saved one
 * after another into one file).
 *
 * <p>Stateless and thread-safe.
 */
public final class NpyReader {
    /** A header longer than this is not one numpy wrote; refusing it keeps garbage from allocating gigabytes. */
    private static final long MAX_HEADER_BYTES = 1 << 24;
    /** Reads go through ByteBuffers, which address at most 2 GiB; larger arrays are read in chunks. */
    private static final long CHUNK_BYTES = 1L << 30;

    private NpyReader() {
    }

    /**
     * Reads the whole array.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws IOException                       when it cannot be read
     * @throws IllegalArgumentException          when it is not a supported .npy file: the message starts with
     *                                           the path and names the problem (bad magic, unsupported version
     *                                           or dtype, Fortran order, truncated header or data)
     */
    public static NpyArray read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            ByteBuffer start = readFully(channel, 0, Math.min(fileSize, 12), source, "the .npy preamble");
            byte[] magic = new byte[Math.min(NpyHeader.MAGIC.length, start.remaining())];
            start.get(0, magic);
            if (!Arrays.equals(magic, NpyHeader.MAGIC)) {
                throw new IllegalArgumentException(source + ": not an .npy file (it does not start with \\x93NUMPY)");
            }
            if (start.limit() < 10) {
                throw new IllegalArgumentException(source + ": truncated .npy preamble (" + fileSize + " bytes)");
            }
            int major = start.get(6) & 0xff;
            int minor = start.get(7) & 0xff;
            if ((major != 1 && major != 2) || minor != 0) {
                throw new IllegalArgumentException(source + ": unsupported .npy format version " + major + "." + minor
                        + " (expected 1.0 or 2.0)");
            }
            int prefix = major == 1 ? 10 : 12;
            if (start.limit() < prefix) {
                throw new IllegalArgumentException(source + ": truncated .npy preamble (" + fileSize + " bytes)");
            }
            long headerLength = major == 1
                    ? Short.toUnsignedLong(start.getShort(8))
                    : Integer.toUnsignedLong(start.getInt(8));
            if (headerLength > MAX_HEADER_BYTES || prefix + headerLength > fileSize) {
                throw new IllegalArgumentException(source + ": truncated .npy header (it claims " + headerLength
                        + " bytes, the file holds " + (fileSize - prefix) + " after the preamble)");
            }
            ByteBuffer headerBytes = readFully(channel, prefix, headerLength, source, "the header");
            NpyHeader header = NpyHeader.parse(StandardCharsets.ISO_8859_1.decode(headerBytes).toString(), source);
            return readData(channel, prefix + headerLength, fileSize, header, source);
        }
    }

    private static NpyArray readData(FileChannel channel, long dataOffset, long fileSize, NpyHeader header, String source)
            throws IOException {
        long available = fileSize - dataOffset;
        long needed;
        try {
            needed = header.dataBytes();
        } catch (ArithmeticException e) {
            needed = Long.MAX_VALUE;
        }
        if (needed > available) {
            throw new IllegalArgumentException(source + ": truncated data: shape " + NpyArray.formatShape(header.shape())
                    + " of " + header.dtype().numpyName() + " needs " + needed + " bytes, the file holds " + available);
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment data = arena.allocate(Math.max(needed, 1), 64);
            for (long done = 0; done < needed; done += CHUNK_BYTES) {
                long length = Math.min(CHUNK_BYTES, needed - done);
                ByteBuffer target = data.asSlice(done, length).asByteBuffer();
                fill(channel, dataOffset + done, target, source, "the data");
            }
            return new NpyArray(source, header, arena, data);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, long length, String source, String what)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
        fill(channel, position, buffer, source, what);
        return buffer.flip();
    }

    private static void fill(FileChannel channel, long position, ByteBuffer buffer, String source, String what)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException(source + ": the file ended while reading " + what + " (it shrank while being read?)");
            }
            at += read;
        }
    }
}
