package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.vector.IdleBuffers;
import org.kernels4j.vector.WorkerPool;

/**
 * GEMM with FP32 output where op(A) has at most {@value ShortSide#MAX_LINES} rows or op(B) at most that many columns,
 * and the other operand's lines run along the reduction in memory: the m = 1…64 of LLM inference against weights
 * stored as PyTorch does, W[n, k] with C = A·Wᵀ. Each element of C is a dot product of two contiguous lines, so
 * this path reads the long operand once, a few lines at a time, a vector of depth positions per step, instead of
 * packing it whole.
 *
 * <p>In {@link ShortSide}'s terms, x is gathered and widened to FP32 once per call; M's lines are copied a block at a time into a small per-thread buffer, widened from
 * FP16 or BF16 on the way, where every row group of x reuses them.
 *
 * <p>Summation order: lane l of an element's accumulator sums, with fused multiply-adds in depth order, the
 * products at depths p ≡ l (mod the vector length) below the last whole vector; the lanes are then added in lane
 * order and the remaining depths' products, summed in order from zero, added last. That order depends on k and
 * the vector width only — not on the thread count, the tile an element falls in, or the other dimensions — so
 * results are reproducible, and a row of C is the same whether computed alone or in a batch. It is not the
 * packed path's order: callers that cut one product into pieces of different shapes and need no seams
 * (convolution tiles) use {@link VectorGemm#gemmInDepthOrder}, which never takes this path.
 *
 * <p>Thread safety: {@link #multiply} may be called from several threads at once.
 */
final class DotProductGemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Lines of M the kernels take at a time; the line blocks' edges reuse a block's last line rather than need other kernels. */
    private static final int KERNEL_LINES = 3;
    /** Rows of x the wide kernel takes at a time: 4 × 3 accumulators, 3 lines and 1 row of x fill AVX2's 16 registers. */
    private static final int KERNEL_ROWS = 4;
    /**
     * Lines of M in a block, staged together chunk by chunk. On the AVX2 EPYC one kernel's lines and chunks of 4096
     * depths ran fastest (m = 64, k = 4096: 53 GFLOP/s against 36 with 24 lines and chunks of 128, which kept
     * everything in L1 but paid the accumulators' loads and stores and the kernel's start every 16 steps).
     */
    private static final int LINE_BLOCK = KERNEL_LINES;
    /** Depth positions per chunk (a multiple of the vector length, so lanes keep their depths across chunks). */
    private static final int DEPTH_CHUNK = 4096;
    /** Below this many multiply-adds a call runs on the caller alone. */
    private static final long PARALLEL_THRESHOLD = 1L << 20;
    /** Items per thread, so that a core slowed by other work hands its share to the others. */
    private static final int ITEMS_PER_THREAD = 4;

    private final WorkerPool pool;
    private final IdleBuffers<Workspace> workspaces = new IdleBuffers<>(Workspace::new);

    DotProductGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * Whether this path runs {@code spec}: FP32, FP16 or BF16 in, FP32 out, a reduction to do, and a short side
     * whose partner's lines are contiguous along the reduction (B transposed for a short m, A not transposed for
     * a short n).
     */
    static boolean applies(GemmSpec spec) {
        DType input = spec.inputType();
        boolean floatInput = input == DType.FP32 || input == DType.FP16 || input == DType.BF16;
        if (!floatInput || spec.outputType() != DType.FP32 || spec.k() == 0) {
            return false;
        }
        return ShortSide.present(spec) && ShortSide.longLinesAlongDepth(spec);
    }

    void multiply(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Call call = new Call(spec, a, b, c);
        workspaces.use(call::run);
    }

    /** One multiply call: which side is short, and the loops over M's lines. */
    private final class Call {
        final ShortSide side;
        final ElementReader reader;
        final int s;
        final int lines;
        final int k;
        final int wholeDepth;
        final FloatTileWriter writer;
        final MemorySegment c;
        final long ldc;
        final int xStride;
        final boolean float16;

        Call(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
            this.side = ShortSide.of(spec, a, b);
            this.reader = ElementReader.toFloat(spec.inputType());
            this.float16 = spec.inputType() == DType.FP16;
            this.s = side.s();
            this.lines = side.lines();
            this.k = side.k();
            this.wholeDepth = k - k % LANES;
            this.writer = new FloatTileWriter(spec.alpha(), spec.beta());
            this.c = c.segment();
            this.ldc = spec.ldc();
            // A cache line more than a multiple of 16 floats, so that rows of x do not share L1 sets.
            this.xStride = Math.ceilDiv(k, 16) * 16 + 16;
        }

        void run(Workspace workspace) {
            boolean parallel = pool.threads() > 1 && (double) s * lines * k >= PARALLEL_THRESHOLD;
            int participants = parallel ? pool.threads() : 1;
            workspace.ensure(participants, s * xStride, s * LINE_BLOCK);
            float[] x = workspace.x;
            for (int i = 0; i < s; i++) {
                reader.copy(side.shortLines().segment(), side.shortLines().index(i, 0), side.shortLines().depthStride(), k, x, i * xStride, k, 0, 1);
            }
            int blocks = Math.ceilDiv(lines, LINE_BLOCK);
            int blocksPerItem = Math.ceilDiv(blocks, ITEMS_PER_THREAD * participants);
            int items = Math.ceilDiv(blocks, blocksPerItem);
            WorkerPool.Body body = (item, participant) -> {
                int end = Math.min(blocks, (item + 1) * blocksPerItem);
                for (int block = item * blocksPerItem; block < end; block++) {
                    lineBlock(workspace.perParticipant[participant], x, block * LINE_BLOCK);
                }
            };
            if (parallel) {
                pool.forEach(items, body);
            } else {
                for (int item = 0; item < items; item++) {
                    body.run(item, 0);
                }
            }
        }

        /** y for M's lines first… (up to {@value #LINE_BLOCK}), written into C. */
        private void lineBlock(Scratch scratch, float[] x, int first) {
            int count = Math.min(LINE_BLOCK, lines - first);
            float[] lanes = scratch.lanes;
            Arrays.fill(lanes, 0, s * LINE_BLOCK * LANES, 0f);
            for (int p0 = 0; p0 < wholeDepth; p0 += DEPTH_CHUNK) {
                int steps = Math.min(DEPTH_CHUNK, wholeDepth - p0) / LANES;
                stage(scratch, first, count, p0, steps * LANES);
                float[] m = scratch.staged;
                for (int i = 0; i < s; ) {
                    int rows = s - i >= KERNEL_ROWS ? KERNEL_ROWS : 1;
                    for (int j = 0; j < count; j += KERNEL_LINES) {
                        // Lines past the block's end repeat its last line; their sums land in lanes no one reads.
                        int l0 = Math.min(j, count - 1) * DEPTH_CHUNK;
                        int l1 = Math.min(j + 1, count - 1) * DEPTH_CHUNK;
                        int l2 = Math.min(j + 2, count - 1) * DEPTH_CHUNK;
                        int lanesOffset = (i * LINE_BLOCK + j) * LANES;
                        if (rows == KERNEL_ROWS) {
                            fourRows(x, i * xStride + p0, xStride, m, l0, l1, l2, steps, lanes, lanesOffset);
                        } else {
                            oneRow(x, i * xStride + p0, m, l0, l1, l2, steps, lanes, lanesOffset);
                        }
                    }
                    i += rows;
                }
            }
            int remaining = k - wholeDepth;
            for (int j = 0; j < count && remaining > 0; j++) {
                reader.copy(side.longLines().segment(), side.longLines().index(first + j, wholeDepth), 1, remaining, scratch.remaining,
                        j * LANES, remaining, 0, 1);
            }
            float[] tile = scratch.tile;
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < count; j++) {
                    float sum = addLanes(lanes, (i * LINE_BLOCK + j) * LANES) + remainingDepths(x, i, scratch.remaining, j);
                    tile[side.rows() ? i * count + j : j * s + i] = sum;
                }
            }
            if (side.rows()) {
                writer.write(tile, count, s, count, c, first, ldc, true);
            } else {
                writer.write(tile, s, count, s, c, first * ldc, ldc, true);
            }
        }

        /**
         * Copies M's lines first…first+count at depths p0…p0+depth into the scratch, widened to FP32, lines
         * {@value #DEPTH_CHUNK} apart. In place, lines a power-of-two apart map onto the same few L1 sets and evict
         * each other before the next row group of x reuses them; in the scratch they lie back to back.
         */
        private void stage(Scratch scratch, int first, int count, int p0, int depth) {
            for (int j = 0; j < count; j++) {
                long index = side.longLines().index(first + j, p0);
                if (float16) {
                    ContiguousRuns.widenFloat16(side.longLines().segment(), index, depth, scratch.bits, scratch.staged, j * DEPTH_CHUNK);
                } else {
                    reader.copy(side.longLines().segment(), index, 1, depth, scratch.staged, j * DEPTH_CHUNK, depth, 0, 1);
                }
            }
        }

        /** Σ x_i[p]·M_j[p] over the depths past the last whole vector ({@code remaining} holds M_j's), from zero, in order. */
        private float remainingDepths(float[] x, int i, float[] remaining, int j) {
            float sum = 0f;
            for (int p = wholeDepth; p < k; p++) {
                sum = Math.fma(x[i * xStride + p], remaining[j * LANES + p - wholeDepth], sum);
            }
            return sum;
        }
    }

    /** The lanes of one accumulator added in lane order. */
    private static float addLanes(float[] lanes, int offset) {
        float sum = lanes[offset];
        for (int l = 1; l < LANES; l++) {
            sum += lanes[offset + l];
        }
        return sum;
    }

    /**
     * Adds into the accumulators of 4 rows of x × 3 lines of M (lane vectors at {@code lanesOffset}, rows
     * {@value #LINE_BLOCK} accumulators apart) the products over {@code steps} vectors of depth.
     */
    private static void fourRows(float[] x, int x0, int xStride, float[] m, int l0, int l1, int l2, int steps,
                                 float[] lanes, int lanesOffset) {
        int rowStride = LINE_BLOCK * LANES;
        int o0 = lanesOffset;
        int o1 = o0 + rowStride;
        int o2 = o1 + rowStride;
        int o3 = o2 + rowStride;
        FloatVector c00 = FloatVector.fromArray(SPECIES, lanes, o0);
        FloatVector c01 = FloatVector.fromArray(SPECIES, lanes, o0 + LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, lanes, o0 + 2 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, lanes, o1);
        FloatVector c11 = FloatVector.fromArray(SPECIES, lanes, o1 + LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, lanes, o1 + 2 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, lanes, o2);
        FloatVector c21 = FloatVector.fromArray(SPECIES, lanes, o2 + LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, lanes, o2 + 2 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, lanes, o3);
        FloatVector c31 = FloatVector.fromArray(SPECIES, lanes, o3 + LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, lanes, o3 + 2 * LANES);
        for (int v = 0; v < steps; v++) {
            int offset = v * LANES;
            FloatVector m0 = FloatVector.fromArray(SPECIES, m, l0 + offset);
            FloatVector m1 = FloatVector.fromArray(SPECIES, m, l1 + offset);
            FloatVector m2 = FloatVector.fromArray(SPECIES, m, l2 + offset);
            int p = x0 + v * LANES;
            FloatVector a = FloatVector.fromArray(SPECIES, x, p);
            c00 = a.fma(m0, c00);
            c01 = a.fma(m1, c01);
            c02 = a.fma(m2, c02);
            a = FloatVector.fromArray(SPECIES, x, p + xStride);
            c10 = a.fma(m0, c10);
            c11 = a.fma(m1, c11);
            c12 = a.fma(m2, c12);
            a = FloatVector.fromArray(SPECIES, x, p + 2 * xStride);
            c20 = a.fma(m0, c20);
            c21 = a.fma(m1, c21);
            c22 = a.fma(m2, c22);
            a = FloatVector.fromArray(SPECIES, x, p + 3 * xStride);
            c30 = a.fma(m0, c30);
            c31 = a.fma(m1, c31);
            c32 = a.fma(m2, c32);
        }
        c00.intoArray(lanes, o0);
        c01.intoArray(lanes, o0 + LANES);
        c02.intoArray(lanes, o0 + 2 * LANES);
        c10.intoArray(lanes, o1);
        c11.intoArray(lanes, o1 + LANES);
        c12.intoArray(lanes, o1 + 2 * LANES);
        c20.intoArray(lanes, o2);
        c21.intoArray(lanes, o2 + LANES);
        c22.intoArray(lanes, o2 + 2 * LANES);
        c30.intoArray(lanes, o3);
        c31.intoArray(lanes, o3 + LANES);
        c32.intoArray(lanes, o3 + 2 * LANES);
    }

    /** {@link #fourRows} for one row of x: the rows left over, and m = 1. */
    private static void oneRow(float[] x, int x0, float[] m, int l0, int l1, int l2, int steps, float[] lanes,
                               int lanesOffset) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, lanes, lanesOffset);
        FloatVector c1 = FloatVector.fromArray(SPECIES, lanes, lanesOffset + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, lanes, lanesOffset + 2 * LANES);
        for (int v = 0; v < steps; v++) {
            int offset = v * LANES;
            FloatVector a = FloatVector.fromArray(SPECIES, x, x0 + offset);
            c0 = a.fma(FloatVector.fromArray(SPECIES, m, l0 + offset), c0);
            c1 = a.fma(FloatVector.fromArray(SPECIES, m, l1 + offset), c1);
            c2 = a.fma(FloatVector.fromArray(SPECIES, m, l2 + offset), c2);
        }
        c0.intoArray(lanes, lanesOffset);
        c1.intoArray(lanes, lanesOffset + LANES);
        c2.intoArray(lanes, lanesOffset + 2 * LANES);
    }

    /** The buffers of one call: the gathered short side, shared, and a {@link Scratch} per participant. */
    private static final class Workspace {
        float[] x = new float[0];
        Scratch[] perParticipant = new Scratch[0];

        void ensure(int participants, int xLength, int tileLength) {
            if (x.length < xLength) {
                x = new float[xLength];
            }
            if (perParticipant.length < participants) {
                perParticipant = Arrays.copyOf(perParticipant, participants);
            }
            for (int i = 0; i < participants; i++) {
                if (perParticipant[i] == null || perParticipant[i].tile.length < tileLength) {
                    perParticipant[i] = new Scratch(tileLength);
                }
            }
        }
    }

    /** One participant's accumulator lanes, result tile, widened chunk of M, and M's depths past the last whole vector. */
    private static final class Scratch {
        final float[] lanes;
        final float[] tile;
        final float[] remaining = new float[LINE_BLOCK * LANES];
        final float[] staged = new float[LINE_BLOCK * DEPTH_CHUNK];
        final short[] bits = new short[DEPTH_CHUNK];

        Scratch(int tileLength) {
            this.lanes = new float[tileLength * LANES];
            this.tile = new float[tileLength];
        }
    }
}
