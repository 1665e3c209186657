package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.kernels4j.DType;

/**
 * {@link VectorGemm}'s micro-kernel, block sizes and tile epilogue for callers that pack their own operands into its
 * panels: a convolution packs its input windows straight into panels (no im2col matrix) and its weights once per call.
 * Panel layouts are {@link MicroKernel}'s: an A panel holds {@link #rows()} consecutive elements per depth step, a B
 * panel {@link #columns()}. Every element's sum runs over depth in order within a slice, and a caller that adds the
 * slices into C in order gets results that do not depend on how it cuts rows and columns.
 *
 * <p>Thread safety: immutable; the arrays passed in belong to the caller.
 *
 * @param <A> the packed array type: {@code float[]} (FP32, FP16 and BF16 inputs) or {@code int[]} (INT8)
 */
public final class PanelKernel<A> {
    /** Element-to-element copies within one packed type, which {@link PackedArrays} does not need. */
    private interface Strided<A> {
        void scatter(A source, int sourceIndex, int count, A target, int targetIndex, int targetStride);
    }

    private static final Strided<float[]> FLOAT_SCATTER = (source, sourceIndex, count, target, targetIndex, targetStride) -> {
        for (int i = 0, t = targetIndex; i < count; i++, t += targetStride) {
            target[t] = source[sourceIndex + i];
        }
    };
    private static final Strided<int[]> INT_SCATTER = (source, sourceIndex, count, target, targetIndex, targetStride) -> {
        for (int i = 0, t = targetIndex; i < count; i++, t += targetStride) {
            target[t] = source[sourceIndex + i];
        }
    };
    private static final ThreadLocal<short[]> FLOAT16_BITS = ThreadLocal.withInitial(() -> new short[1024]);

    private final MicroKernel<A> kernel;
    private final PackedArrays<A> arrays;
    private final BlockSizes blocks;
    private final ElementReader<A> reader;
    private final boolean float16;
    private final Strided<A> strided;
    private final TileWriter<A> overwriting;
    private final TileWriter<A> accumulating;

    private PanelKernel(MicroKernel<A> kernel, PackedArrays<A> arrays, BlockSizes blocks, ElementReader<A> reader, boolean float16,
                        Strided<A> strided, TileWriter<A> overwriting, TileWriter<A> accumulating) {
        this.kernel = kernel;
        this.arrays = arrays;
        this.blocks = blocks;
        this.reader = reader;
        this.float16 = float16;
        this.strided = strided;
        this.overwriting = overwriting;
        this.accumulating = accumulating;
    }

    static PanelKernel<float[]> floats(BlockedGemm<float[]> gemm, DType input) {
        return new PanelKernel<>(gemm.kernel(), PackedArrays.FLOAT, gemm.blocks(), ElementReader.toFloat(input),
                input == DType.FP16, FLOAT_SCATTER, new FloatTileWriter(1f, 0f), new FloatTileWriter(1f, 1f));
    }

    static PanelKernel<int[]> ints(BlockedGemm<int[]> gemm) {
        return new PanelKernel<>(gemm.kernel(), PackedArrays.INT, gemm.blocks(), ElementReader.INT8, false, INT_SCATTER,
                new IntTileWriter(1, 0), new IntTileWriter(1, 1));
    }

    /** Rows of an A panel and of a tile (mr). */
    public int rows() {
        return kernel.rows();
    }

    /** Columns of a B panel and of a tile (nr). */
    public int columns() {
        return kernel.columns();
    }

    /** The depth of a slice (kc): the reduction is cut into slices this deep, summed into C one after another. */
    public int sliceDepth() {
        return blocks.kc();
    }

    /** Rows of A packed at a time (mc), a multiple of {@link #rows()}: with a slice they fill about half of L2. */
    public int rowBlock() {
        return blocks.mc();
    }

    public A allocate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " is negative");
        }
        return arrays.allocate(length);
    }

    public int length(A array) {
        return arrays.length(Objects.requireNonNull(array, "array"));
    }

    /** Zeroes elements [from, to) of {@code array}. */
    public void clear(A array, int from, int to) {
        arrays.clear(array, from, to);
    }

    /**
     * Widens {@code count} elements of the input dtype, {@code sourceStride} apart from element {@code sourceIndex},
     * into consecutive elements of {@code target} from {@code targetIndex}; contiguous runs a vector at a time.
     */
    public void widen(MemorySegment source, long sourceIndex, long sourceStride, int count, A target, int targetIndex) {
        if (float16 && sourceStride == 1) {
            short[] bits = FLOAT16_BITS.get();
            if (bits.length < count) {
                bits = new short[count];
                FLOAT16_BITS.set(bits);
            }
            ContiguousRuns.widenFloat16(source, sourceIndex, count, bits, (float[]) target, targetIndex);
        } else {
            reader.copy(source, sourceIndex, sourceStride, count, target, targetIndex, count, 0, 1);
        }
    }

    /** Copies {@code count} consecutive elements of {@code source} into {@code target}, {@code targetStride} apart. */
    public void scatter(A source, int sourceIndex, int count, A target, int targetIndex, int targetStride) {
        strided.scatter(source, sourceIndex, count, target, targetIndex, targetStride);
    }

    /** One tile: {@code tile[tileOffset + r·tileStride + c] = Σ_{p < depth} a(p, r)·b(p, c)}, as {@link MicroKernel}. */
    public void multiply(A packedA, int aOffset, A packedB, int bOffset, int depth, A tile, int tileOffset, int tileStride) {
        kernel.multiply(packedA, aOffset, packedB, bOffset, depth, tile, tileOffset, tileStride);
    }

    /**
     * Stores {@code rows × columns} tile elements into C (FP32 or INT32 memory, rows {@code ld} apart, from element
     * {@code index}): {@code C = tile + C} when {@code accumulate}, else {@code C = tile}.
     */
    public void write(A tile, int tileStride, int rows, int columns, MemorySegment c, long index, long ld, boolean accumulate) {
        (accumulate ? accumulating : overwriting).write(tile, tileStride, rows, columns, c, index, ld, true);
    }
}
