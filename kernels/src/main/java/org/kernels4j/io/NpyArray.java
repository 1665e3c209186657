package org.kernels4j.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.StringJoiner;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * The contents of a C-order {@code .npy} file as read: numpy element type, shape and the little-endian
 * data, held off-heap by an {@link Arena} that {@link #close()} frees. Converts to a {@link Tensor} of
 * the dtype a computation needs.
 *
 * <p>Thread safety: immutable once read; may be read from several threads, and must not be used
 * after (or while) it is closed.
 */
public final class NpyArray implements AutoCloseable {
    private final String source;
    private final NpyHeader header;
    private final Arena arena;
    private final MemorySegment data;

    NpyArray(String source, NpyHeader header, Arena arena, MemorySegment data) {
        this.source = source;
        this.header = header;
        this.arena = arena;
        this.data = data;
    }

    /** The file this array was read from, as it was named to {@link NpyReader#read}. */
    public String source() {
        return source;
    }

    public NpyDType dtype() {
        return header.dtype();
    }

    public long[] shape() {
        return header.shape();
    }

    public int rank() {
        return header.shape().length;
    }

    public long elementCount() {
        return header.elementCount();
    }

    /** numpy's way of saying what this is: "float32 (3, 4)". */
    public String describe() {
        return header.toString();
    }

    /**
     * A new contiguous tensor of {@code target} with this array's shape and values. Floating data
     * (float32, float16, float64) converts to FP32, FP16 or BF16 rounding to nearest, ties to even;
     * float64 data goes through float32 on its way to FP16 or BF16, so a value lying within 2^-24
     * (relative) of a half-way point between two FP16/BF16 values may round twice (numpy's own
     * {@code astype(float16)} from float64 rounds once). Integer data converts to an integer dtype that
     * holds every value of its type (int8 → INT8 or INT32, int32 → INT32). Conversions between integer and
     * floating types are refused: the caller decides how numbers change kind, not this reader.
     *
     * @throws IllegalArgumentException naming the file, its dtype and {@code target} when refused
     */
    public Tensor toTensor(DType target) {
        Objects.requireNonNull(target, "target");
        checkConvertible(target);
        checkOpen();
        Tensor tensor = Tensor.allocate(target, header.shape());
        MemorySegment destination = tensor.segment();
        NpyDType from = header.dtype();
        long count = header.elementCount();
        for (long i = 0; i < count; i++) {
            target.write(destination, i, from.read(data, i));
        }
        return tensor;
    }

    /** A shape in numpy's notation: "(3, 4)", "(5,)", "()". */
    public static String formatShape(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        StringJoiner joined = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long d : shape) {
            joined.add(Long.toString(d));
        }
        return joined.toString();
    }

    private void checkConvertible(DType target) {
        NpyDType from = header.dtype();
        boolean fits = from.isFloatingPoint()
                ? target.isFloatingPoint()
                : target == DType.INT32 || (target == DType.INT8 && from == NpyDType.INT8);
        if (!fits) {
            throw new IllegalArgumentException(source + ": " + from.numpyName() + " data cannot become " + target
                    + " (float data converts to FP32, FP16 or BF16; int8 to INT8 or INT32; int32 to INT32)");
        }
    }

    private void checkOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException(source + ": array is closed");
        }
    }

    /** Frees the data; idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return source + ": " + describe();
    }
}
