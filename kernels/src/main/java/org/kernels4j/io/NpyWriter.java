package org.kernels4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * Writes tensors as C-order {@code .npy} files (format version 1.0), atomically through
 * {@link AtomicFiles}: FP32 as {@code '<f4'}, FP16 as {@code '<f2'}, INT8 as {@code '|i1'}, INT32 as
 * {@code '<i4'}, and BF16 as {@code '<f4'} holding the same values (numpy has no bfloat16 type; every
 * BF16 value is exactly a float32 value, so nothing rounds). Only the logical elements are written:
 * padding beyond a leading dimension is left out.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpyWriter {
    /** Data is converted to little-endian in chunks of this size, so writing needs no second copy of the tensor. */
    private static final int CHUNK_BYTES = 1 << 20;

    private NpyWriter() {
    }

    /**
     * Writes {@code tensor} to {@code path}, replacing any file there.
     *
     * @throws java.nio.file.NoSuchFileException when the directory does not exist
     * @throws IOException                       when writing fails (no partial file is left behind)
     */
    public static void write(Path path, Tensor tensor) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tensor, "tensor");
        NpyDType fileType = NpyDType.forTensor(tensor.dtype());
        byte[] header = new NpyHeader(fileType, tensor.shape()).encode();
        if (tensor.isContiguous()) {
            AtomicFiles.write(path, channel -> writeAll(channel, header, tensor, fileType));
        } else {
            try (Tensor contiguous = tensor.convertTo(tensor.dtype())) {
                AtomicFiles.write(path, channel -> writeAll(channel, header, contiguous, fileType));
            }
        }
    }

    private static void writeAll(FileChannel channel, byte[] header, Tensor contiguous, NpyDType fileType) throws IOException {
        drain(channel, ByteBuffer.wrap(header));
        DType dtype = contiguous.dtype();
        MemorySegment source = contiguous.segment();
        long count = contiguous.elementCount();
        int perChunk = CHUNK_BYTES / fileType.itemSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK_BYTES);
            for (long first = 0; first < count; first += perChunk) {
                int n = (int) Math.min(perChunk, count - first);
                for (int i = 0; i < n; i++) {
                    fileType.write(chunk, i, dtype.read(source, first + i));
                }
                drain(channel, chunk.asSlice(0, (long) n * fileType.itemSize()).asByteBuffer());
            }
        }
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
