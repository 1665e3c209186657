package org.kernels4j.vector.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.vector.IdleBuffers;
import org.kernels4j.vector.WorkerPool;

/**
 * GEMM with FP32, FP16 or BF16 inputs and FP32 output, or INT8 inputs and INT32 output, where op(A) has at most
 * {@value ShortSide#MAX_LINES} rows or op(B) at most that many columns, and the other operand's lines are contiguous —
 * matrix-vector products and their few-vector cousins, the m = 1…64 of LLM inference against weights stored k × n.
 * Packing would copy the whole large operand to use each element only a few times, so this path streams it in place
 * as row updates: {@code y_i += x_i[p] · line p}.
 *
 * <p>Other dtypes are widened to FP32 on the way: x once per call; BF16 M in registers as the row updates load it (a
 * shift); FP16 and INT8 M a few depths of a block at a time into a small off-heap staging buffer that the FP32 row
 * updates then read. Staging BF16 too ran at 0.46× FP32 at m = 8 (the copies stall on memory with no arithmetic to
 * overlap); widening a third dtype in registers (INT8) halved the speed of all of them once several dtypes had gone
 * through the row updates, which C2 then compiles for all at once, and so did a heap staging buffer next to the
 * native operands (FP16 and INT8 at m = 32: 9–10 GFLOP/s against 16–36 off-heap). FP16 has no Vector API
 * conversion; lane-wise integer arithmetic for it ran no faster than staging. INT8 sums are exact in FP32 within
 * slices of at most {@link BlockSizes#MAX_EXACT_INT8_KC} depths, and the slices are added in INT32 by
 * {@link IntTileWriter}, as the packed INT8 path does.
 *
 * <p>In {@link ShortSide}'s terms (x, M, y), every element is summed exactly as {@link BlockedGemm} sums it — from
 * zero, in depth order with fused multiply-adds within each kc slice, the slices added into C in order by the same
 * {@link FloatTileWriter} — so the two paths give the same bits, and callers that split a problem into pieces of
 * different shapes (convolution tiles) see no seams. Each element is summed by one thread, so the thread count changes nothing.
 *
 * <p>Thread safety: {@link #multiply} may be called from several threads at once.
 */
final class MatrixVectorGemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    /**
     * Columns of a chunk of y: y is stored chunk by chunk, each chunk's s rows one after another, so that the row
     * loop's index has a constant stride, which lets C2 drop its bounds checks (a row stride of the block's width
     * kept them, and ran at two thirds of the speed with y in L1).
     */
    private static final int CHUNK = 2 * LANES;
    /**
     * The s × width block of y a row update works on stays in L1 (16 KiB): each update reads and writes y there,
     * while M's lines stream past once, from memory, in runs of width elements.
     */
    private static final int Y_BLOCK_FLOATS = 4096;
    /** Depth steps per pass over a chunk's rows: each pass holds 4 depths of a chunk of M in registers. */
    private static final int DEPTH_GROUP = 4;
    /** Most depths a block takes before the next block of the same item takes them (see {@code blockRange}). */
    private static final int MAX_PASS_DEPTH = 256;
    /** Pages of M a pass may touch: half the second-level TLB of the x86 cores measured (2048 entries on Zen 3). */
    private static final int PASS_PAGES = 1024;
    private static final int PAGE_BYTES = 4096;
    /** Items per thread, so that a core slowed by other work hands its share to the others. */
    private static final int ITEMS_PER_THREAD = 4;
    /**
     * Fewest lines of M in a shared-out item, unless that leaves a thread idle: each depth of an item is one run of
     * M's memory, and the hardware prefetcher starts over at every run, so runs much shorter than two pages cut the
     * bandwidth of a matrix-vector product (8 KiB runs on 2 threads ran at 1.25× OpenBLAS, 2 KiB runs at 0.8×).
     */
    private static final int MIN_ITEM_LINES = 2048;
    /** Below this many multiply-adds a call runs on the caller alone. */
    private static final long PARALLEL_THRESHOLD = 1L << 20;

    private final WorkerPool pool;
    private final int kc;
    private final int int8Kc;
    private final IdleBuffers<Workspace> workspaces = new IdleBuffers<>(Workspace::new);

    /**
     * @param kc     the depth of {@link BlockedGemm}'s FP32 slices, whose sums this path reproduces
     * @param int8Kc the depth of its INT8 slices, at most {@link BlockSizes#MAX_EXACT_INT8_KC}
     */
    MatrixVectorGemm(WorkerPool pool, int kc, int int8Kc) {
        this.pool = pool;
        this.kc = kc;
        this.int8Kc = int8Kc;
    }

    /**
     * Whether this path runs {@code spec}: FP32, FP16 or BF16 in and FP32 out, or INT8 in and INT32 out, a reduction
     * to do, and a short side whose partner's lines are contiguous (B not transposed for a short m, A transposed for a
     * short n).
     */
    static boolean applies(GemmSpec spec) {
        DType input = spec.inputType();
        boolean floats = input != DType.INT8 && spec.outputType() == DType.FP32;
        boolean integers = input == DType.INT8 && spec.outputType() == DType.INT32;
        if (!(floats || integers) || spec.k() == 0) {
            return false;
        }
        return ShortSide.present(spec) && !ShortSide.longLinesAlongDepth(spec);
    }

    void multiply(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Call call = new Call(spec, a, b, c);
        workspaces.use(call::run);
    }

    /** One multiply call: which side is short, and the loops over blocks of M's lines. */
    private final class Call {
        final ShortSide side;
        final DType input;
        final ElementReader reader;
        /** BF16 M is widened in registers; FP16 and INT8 M through the scratch's staging. */
        final boolean readsBFloat16;
        final boolean stagesM;
        final long elementBytes;
        final int s;
        final int lines;
        final int k;
        final int participants;
        final int items;
        final int width;
        final int sliceDepth;
        final TileWriter writer;
        final MemorySegment c;
        final long ldc;

        Call(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
            this.side = ShortSide.of(spec, a, b);
            this.input = spec.inputType();
            this.reader = input == DType.INT8 ? ElementReader.INT8 : ElementReader.toFloat(input);
            this.readsBFloat16 = input == DType.BF16;
            this.stagesM = input == DType.FP16 || input == DType.INT8;
            this.elementBytes = readsBFloat16 ? Short.BYTES : Float.BYTES;
            this.s = side.s();
            this.lines = side.lines();
            this.k = side.k();
            boolean parallel = pool.threads() > 1 && (double) s * lines * k >= PARALLEL_THRESHOLD;
            this.participants = parallel ? pool.threads() : 1;
            this.items = participants == 1 ? 1
                    : Math.max(participants, Math.min(ITEMS_PER_THREAD * participants, lines / MIN_ITEM_LINES));
            // Narrower than L1 allows when that leaves an item without a block of its own.
            int share = Math.ceilDiv(Math.ceilDiv(lines, items), CHUNK) * CHUNK;
            this.width = Math.min(Math.max(CHUNK, Y_BLOCK_FLOATS / s / CHUNK * CHUNK), share);
            boolean integers = input == DType.INT8;
            this.sliceDepth = integers ? int8Kc : kc;
            this.writer = integers ? IntTileWriter.of(spec) : new FloatTileWriter(spec.alpha(), spec.beta());
            this.c = c.segment();
            this.ldc = spec.ldc();
        }

        void run(Workspace workspace) {
            int blocks = Math.ceilDiv(lines, width);
            int blocksPerItem = Math.ceilDiv(blocks, Math.min(blocks, items));
            workspace.ensure(participants, s * k, s, blocksPerItem * width, width);
            float[] x = workspace.x;
            for (int i = 0; i < s; i++) {
                reader.copy(side.shortLines().segment(), side.shortLines().index(i, 0), side.shortLines().depthStride(), k, x,
                        i, k, 0, s);
            }
            WorkerPool.Body body = (item, participant) -> {
                int firstBlock = item * blocksPerItem;
                int endBlock = Math.min(blocks, firstBlock + blocksPerItem);
                blockRange(x, firstBlock, endBlock, workspace.scratch[participant]);
            };
            int itemCount = Math.ceilDiv(blocks, blocksPerItem);
            if (participants > 1) {
                pool.forEach(itemCount, body);
            } else {
                for (int item = 0; item < itemCount; item++) {
                    body.run(item, 0);
                }
            }
        }

        /**
         * Blocks [firstBlock, endBlock) of M's lines, slice by slice. Within a slice every block takes a pass of a few
         * depths in turn, so that the pages of M those depths span (at most {@value #PASS_PAGES}) stay in the TLB while
         * the blocks sweep across them: a whole slice per block came back to each page after the TLB had lost it,
         * which on the VMs measured (a TLB miss walks the guest's and the host's page tables) ran 9× slower at s = 64.
         */
        private void blockRange(float[] x, int firstBlock, int endBlock, Scratch scratch) {
            float[] y = scratch.y;
            int rangeLines = Math.min(lines, endBlock * width) - firstBlock * width;
            int pagesPerDepth = (int) ((long) rangeLines * Float.BYTES / PAGE_BYTES) + 1;
            int passDepth = Math.clamp(PASS_PAGES / pagesPerDepth / DEPTH_GROUP * DEPTH_GROUP, DEPTH_GROUP, MAX_PASS_DEPTH);
            for (int depthStart = 0; depthStart < k; depthStart += sliceDepth) {
                int depthEnd = Math.min(k, depthStart + sliceDepth);
                Arrays.fill(y, 0, s * Math.ceilDiv(rangeLines, CHUNK) * CHUNK, 0f);
                for (int pass = depthStart; pass < depthEnd; pass += passDepth) {
                    int passEnd = Math.min(depthEnd, pass + passDepth);
                    for (int block = firstBlock; block < endBlock; block++) {
                        int first = block * width;
                        rowUpdates(x, first, Math.min(width, lines - first), pass, passEnd, scratch, (block - firstBlock) * s * width);
                    }
                }
                for (int block = firstBlock; block < endBlock; block++) {
                    int first = block * width;
                    int count = Math.min(width, lines - first);
                    unchunk(y, (block - firstBlock) * s * width, count, scratch.rows);
                    if (side.rows()) {
                        writer.write(scratch.rows, count, s, count, c, first, ldc, depthStart == 0);
                    } else {
                        writer.write(scratch.rows, s, count, s, c, first * ldc, ldc, depthStart == 0);
                    }
                }
            }
        }

        /**
         * y += Σ x_i[p]·M_{first+j}[p] over depths [from, to) in depth order for the {@code count} lines from
         * {@code first}, y chunk-major from {@code yOffset}: {@value #DEPTH_GROUP} depths at a time.
         */
        private void rowUpdates(float[] x, int first, int count, int from, int to, Scratch scratch, int yOffset) {
            int p = from;
            while (p < to) {
                int depths = to - p >= DEPTH_GROUP ? DEPTH_GROUP : 1;
                MemorySegment source = side.longLines().segment();
                long run = side.longLines().index(first, p) * elementBytes;
                long step = side.longLines().depthStride() * elementBytes;
                if (stagesM) {
                    for (int d = 0; d < depths; d++) {
                        reader.copy(source, side.longLines().index(first, p + d), side.longLines().lineStride(), count,
                                scratch.staged, d * count, count, 0, 1);
                    }
                    MemorySegment.copy(scratch.staged, 0, scratch.stagedSegment, FLOAT, 0, depths * count);
                    source = scratch.stagedSegment;
                    run = 0;
                    step = (long) count * Float.BYTES;
                }
                if (depths == DEPTH_GROUP) {
                    depthGroup(source, readsBFloat16, run, step, x, p * s, count, scratch.y, yOffset);
                } else {
                    singleDepth(source, readsBFloat16, run, x, p * s, count, scratch.y, yOffset);
                }
                p += depths;
            }
        }

        /**
         * y += the products of {@value #DEPTH_GROUP} depths of M, {@code step} bytes apart from byte {@code run} of
         * {@code segment}, x's values for them from {@code xp}: each chunk of M loaded once into registers for all s
         * rows.
         */
        private void depthGroup(MemorySegment segment, boolean bfloat16, long run, long step, float[] x, int xp, int count,
                                float[] y, int yOffset) {
            long elementBytes = bfloat16 ? Short.BYTES : Float.BYTES;
            long vectorBytes = LANES * elementBytes;
            int j = 0;
            for (; j + CHUNK <= count; j += CHUNK) {
                long at = run + j * elementBytes;
                FloatVector m00 = lanes(segment, at, bfloat16);
                FloatVector m01 = lanes(segment, at + vectorBytes, bfloat16);
                FloatVector m10 = lanes(segment, at + step, bfloat16);
                FloatVector m11 = lanes(segment, at + step + vectorBytes, bfloat16);
                FloatVector m20 = lanes(segment, at + 2 * step, bfloat16);
                FloatVector m21 = lanes(segment, at + 2 * step + vectorBytes, bfloat16);
                FloatVector m30 = lanes(segment, at + 3 * step, bfloat16);
                FloatVector m31 = lanes(segment, at + 3 * step + vectorBytes, bfloat16);
                int chunk = yOffset + j * s;
                for (int i = 0; i < s; i++) {
                    int yi = chunk + i * CHUNK;
                    FloatVector y0 = FloatVector.fromArray(SPECIES, y, yi);
                    FloatVector y1 = FloatVector.fromArray(SPECIES, y, yi + LANES);
                    FloatVector x0 = FloatVector.broadcast(SPECIES, x[xp + i]);
                    y0 = m00.fma(x0, y0);
                    y1 = m01.fma(x0, y1);
                    FloatVector x1 = FloatVector.broadcast(SPECIES, x[xp + s + i]);
                    y0 = m10.fma(x1, y0);
                    y1 = m11.fma(x1, y1);
                    FloatVector x2 = FloatVector.broadcast(SPECIES, x[xp + 2 * s + i]);
                    y0 = m20.fma(x2, y0);
                    y1 = m21.fma(x2, y1);
                    FloatVector x3 = FloatVector.broadcast(SPECIES, x[xp + 3 * s + i]);
                    y0 = m30.fma(x3, y0);
                    y1 = m31.fma(x3, y1);
                    y0.intoArray(y, yi);
                    y1.intoArray(y, yi + LANES);
                }
            }
            if (j + LANES <= count) {
                long at = run + j * elementBytes;
                FloatVector m0 = lanes(segment, at, bfloat16);
                FloatVector m1 = lanes(segment, at + step, bfloat16);
                FloatVector m2 = lanes(segment, at + 2 * step, bfloat16);
                FloatVector m3 = lanes(segment, at + 3 * step, bfloat16);
                int chunk = yOffset + j * s;
                for (int i = 0; i < s; i++) {
                    int yi = chunk + i * CHUNK;
                    FloatVector sum = FloatVector.fromArray(SPECIES, y, yi);
                    sum = m0.fma(FloatVector.broadcast(SPECIES, x[xp + i]), sum);
                    sum = m1.fma(FloatVector.broadcast(SPECIES, x[xp + s + i]), sum);
                    sum = m2.fma(FloatVector.broadcast(SPECIES, x[xp + 2 * s + i]), sum);
                    sum = m3.fma(FloatVector.broadcast(SPECIES, x[xp + 3 * s + i]), sum);
                    sum.intoArray(y, yi);
                }
                j += LANES;
            }
            for (; j < count; j++) {
                long at = run + j * elementBytes;
                int yj = chunkedIndex(yOffset, j);
                for (int i = 0; i < s; i++) {
                    int yi = yj + i * CHUNK;
                    float sum = Math.fma(element(segment, at, bfloat16), x[xp + i], y[yi]);
                    sum = Math.fma(element(segment, at + step, bfloat16), x[xp + s + i], sum);
                    sum = Math.fma(element(segment, at + 2 * step, bfloat16), x[xp + 2 * s + i], sum);
                    y[yi] = Math.fma(element(segment, at + 3 * step, bfloat16), x[xp + 3 * s + i], sum);
                }
            }
        }

        /** y += the products of the one depth of M at byte {@code run} of {@code segment}, x's values for it from {@code xp}. */
        private void singleDepth(MemorySegment segment, boolean bfloat16, long run, float[] x, int xp, int count, float[] y,
                                 int yOffset) {
            long elementBytes = bfloat16 ? Short.BYTES : Float.BYTES;
            for (int j = 0; j < count; j++) {
                float value = element(segment, run + j * elementBytes, bfloat16);
                int yj = chunkedIndex(yOffset, j);
                for (int i = 0; i < s; i++) {
                    y[yj + i * CHUNK] = Math.fma(value, x[xp + i], y[yj + i * CHUNK]);
                }
            }
        }

        /** A vector of M's values at byte {@code offset}: FP32 as stored, or BF16 widened (a shift). */
        private static FloatVector lanes(MemorySegment segment, long offset, boolean bfloat16) {
            return bfloat16 ? ContiguousRuns.bfloat16Lanes(segment, offset)
                    : FloatVector.fromMemorySegment(SPECIES, segment, offset, ORDER);
        }

        private static float element(MemorySegment segment, long offset, boolean bfloat16) {
            return bfloat16 ? BFloat16.toFloat(segment.get(SHORT, offset)) : segment.get(FLOAT, offset);
        }

        /** Where y(0, j) of the block at {@code yOffset} lies: chunk j / CHUNK holds its s rows of CHUNK lanes in turn. */
        private int chunkedIndex(int yOffset, int j) {
            return yOffset + j / CHUNK * CHUNK * s + j % CHUNK;
        }

        /** The block's chunk-major y as C's layout: s rows of {@code count} when m is the short side, else its transpose. */
        private void unchunk(float[] y, int yOffset, int count, float[] rows) {
            for (int j = 0; j < count; j += CHUNK) {
                int columns = Math.min(CHUNK, count - j);
                int chunk = yOffset + j * s;
                for (int i = 0; i < s; i++) {
                    if (side.rows()) {
                        System.arraycopy(y, chunk + i * CHUNK, rows, i * count + j, columns);
                    } else {
                        for (int lane = 0; lane < columns; lane++) {
                            rows[(j + lane) * s + i] = y[chunk + i * CHUNK + lane];
                        }
                    }
                }
            }
        }
    }

    /** The buffers of one call: the short side gathered depth-major (s values per depth), and a scratch per participant. */
    private static final class Workspace {
        float[] x = new float[0];
        Scratch[] scratch = new Scratch[0];

        /** For s rows of y, {@code itemLines} lines of M per item, in blocks of {@code width}. */
        void ensure(int participants, int xLength, int s, int itemLines, int width) {
            if (x.length < xLength) {
                x = new float[xLength];
            }
            if (scratch.length < participants) {
                scratch = Arrays.copyOf(scratch, participants);
            }
            for (int i = 0; i < participants; i++) {
                Scratch current = scratch[i];
                if (current == null || current.y.length < s * itemLines || current.rows.length < s * width
                        || current.staged.length < DEPTH_GROUP * width) {
                    scratch[i] = new Scratch(s * itemLines, s * width, DEPTH_GROUP * width);
                }
            }
        }
    }

    /**
     * One participant's buffers: the chunk-major y of its blocks, one block in C's layout, and FP16 or INT8 M's depths
     * widened to FP32, then copied off-heap (an automatic arena's, freed with the scratch) so that the row updates read
     * them as they read FP32 M in place, from a native segment.
     */
    private static final class Scratch {
        final float[] y;
        final float[] rows;
        final float[] staged;
        final MemorySegment stagedSegment;

        Scratch(int yLength, int rowsLength, int stagedLength) {
            this.y = new float[yLength];
            this.rows = new float[rowsLength];
            this.staged = new float[stagedLength];
            this.stagedSegment = Arena.ofAuto().allocate((long) stagedLength * Float.BYTES, 64);
        }
    }
}
