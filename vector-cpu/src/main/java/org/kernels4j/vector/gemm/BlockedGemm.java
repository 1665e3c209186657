package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.vector.IdleBuffers;
import org.kernels4j.vector.WorkerPool;

/**
 * The BLIS loop nest around one micro-kernel: for each nc-wide column block of C and each kc-deep slice of
 * the reduction, B's block is packed once into nr-column panels (the participants share the packing), then
 * participants take (mc-row block of A × range of B panels) items: each packs its A block into mr-row panels and
 * runs the kernel over every (B panel, A panel) pair, B panel outermost so that it is reused across the whole A
 * block. Tiles collect in a per-participant buffer that a {@link TileWriter} folds into C row by row, applying
 * alpha, beta and C's edges.
 *
 * <p>Every element's sum runs over the kc slices in order and within a slice in depth order, whichever
 * participant computes it, so results do not depend on the thread count.
 *
 * <p>Thread safety: {@link #multiply} may be called from several threads at once; each call takes its own
 * packing buffers from a pool, which keeps them for the next call.
 */
final class BlockedGemm {
    /** Below this many multiply-adds a call runs on the caller alone: waking helpers would cost more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1L << 21;
    /** Items (and B packing groups) per thread and slice, so that a core slowed by other work hands its share to the others. */
    private static final int ITEMS_PER_THREAD = 4;
    /** Fewest B panels an item covers, so that packing its A block stays cheap against the kernel work. */
    private static final int MIN_PANELS_PER_ITEM = 8;
    /**
     * Kernel tiles for a whole row block and several B panels collect in a buffer of about this many elements
     * (64 KiB) and go to C row by row. Writing each tile straight into C touched one cache line in each of mc
     * rows, a pattern the hardware prefetcher does not follow and that power-of-two leading dimensions map onto
     * a single cache set: it cost as much as the kernel itself at 1024³.
     */
    private static final int TILE_BUFFER_ELEMENTS = 16 * 1024;

    private final MicroKernel kernel;
    private final BlockSizes blocks;
    private final WorkerPool pool;
    private final IdleBuffers<Buffers> idleBuffers = new IdleBuffers<>(Buffers::new);

    BlockedGemm(MicroKernel kernel, BlockSizes blocks, WorkerPool pool) {
        if (blocks.mc() % kernel.rows() != 0 || blocks.nc() % kernel.columns() != 0) {
            throw new IllegalArgumentException("blocks: " + blocks + " are not multiples of the kernel's "
                    + kernel.rows() + " × " + kernel.columns() + " tile");
        }
        this.kernel = kernel;
        this.blocks = blocks;
        this.pool = pool;
    }

    BlockSizes blocks() {
        return blocks;
    }

    MicroKernel kernel() {
        return kernel;
    }

    /**
     * C(i, j) = writer(Σ_p op(A)(i, p)·op(B)(p, j), C(i, j)) for i < m, j < n, all positive.
     *
     * @param reader widens the operands' dtype to FP32
     * @param c      C's memory, in the writer's element type, row stride {@code ldc}
     */
    void multiply(long m, long n, long k, ElementReader reader, OperandView a, OperandView b, TileWriter writer,
                  MemorySegment c, long ldc) {
        Call call = new Call(m, n, k, reader, a, b, writer, c, ldc);
        idleBuffers.use(buffers -> {
            buffers.ensure(call.participants, call.kcMax * call.ncMax, call.mcRows * call.kcMax,
                    call.mcRows * call.panelsPerWrite * kernel.columns());
            call.run(buffers);
        });
    }

    /** One multiply call: its shape, its partition into items, and the loops. */
    private final class Call {
        final long m;
        final long n;
        final long k;
        final ElementReader reader;
        final OperandView a;
        final OperandView b;
        final TileWriter writer;
        final MemorySegment c;
        final long ldc;
        final int kcMax;
        final int ncMax;
        final int mcRows;
        final int rowBlocks;
        final int panelsPerWrite;
        final int participants;

        Call(long m, long n, long k, ElementReader reader, OperandView a, OperandView b, TileWriter writer,
             MemorySegment c, long ldc) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.reader = reader;
            this.a = a;
            this.b = b;
            this.writer = writer;
            this.c = c;
            this.ldc = ldc;
            int mr = kernel.rows();
            this.kcMax = (int) Math.min(blocks.kc(), k);
            this.ncMax = (int) Math.min(blocks.nc(), Math.ceilDiv(n, kernel.columns()) * kernel.columns());
            // Equal row blocks of at most mc rows, so that the last block is not a sliver.
            long blocksOfMc = Math.ceilDiv(m, blocks.mc());
            this.mcRows = (int) (Math.ceilDiv(Math.ceilDiv(m, blocksOfMc), mr) * mr);
            this.rowBlocks = Math.toIntExact(Math.ceilDiv(m, mcRows));
            this.panelsPerWrite = Math.max(1, TILE_BUFFER_ELEMENTS / (mcRows * kernel.columns()));
            boolean parallel = pool.threads() > 1 && (double) m * n * k >= PARALLEL_THRESHOLD;
            this.participants = parallel ? pool.threads() : 1;
        }

        void run(Buffers buffers) {
            for (long jc = 0; jc < n; jc += blocks.nc()) {
                int columns = (int) Math.min(blocks.nc(), n - jc);
                for (long pc = 0; pc < k; pc += blocks.kc()) {
                    int depth = (int) Math.min(blocks.kc(), k - pc);
                    packB(buffers.packedB, jc, columns, pc, depth);
                    computeSlice(buffers, jc, columns, pc, depth);
                }
            }
        }

        private void packB(float[] packedB, long jc, int columns, long pc, int depth) {
            int nr = kernel.columns();
            int panels = Math.ceilDiv(columns, nr);
            // Several groups per participant, claimed dynamically like the kernel items: with one group each, a
            // helper descheduled by other work on a busy machine held up the whole call until it ran again.
            int groups = participants == 1 ? 1 : ITEMS_PER_THREAD * participants;
            int panelsPerGroup = Math.ceilDiv(panels, Math.min(panels, groups));
            forEach(Math.ceilDiv(panels, panelsPerGroup), (group, participant) -> {
                int first = group * panelsPerGroup * nr;
                int lines = Math.min(columns, first + panelsPerGroup * nr) - first;
                PanelPacker.pack(reader, b, jc + first, lines, pc, depth, nr, packedB, first * depth);
            });
        }

        private void computeSlice(Buffers buffers, long jc, int columns, long pc, int depth) {
            int nr = kernel.columns();
            int panels = Math.ceilDiv(columns, nr);
            int wantedRanges = participants == 1 ? 1 : Math.ceilDiv(ITEMS_PER_THREAD * participants, rowBlocks);
            int ranges = Math.max(1, Math.min(wantedRanges, panels / MIN_PANELS_PER_ITEM));
            int panelsPerRange = Math.ceilDiv(panels, ranges);
            int rangeCount = Math.ceilDiv(panels, panelsPerRange);
            boolean firstBlock = pc == 0;
            forEach(rowBlocks * rangeCount, (item, participant) -> {
                long i0 = (long) (item / rangeCount) * mcRows;
                int rows = (int) Math.min(mcRows, m - i0);
                int firstPanel = (item % rangeCount) * panelsPerRange;
                int endPanel = Math.min(panels, firstPanel + panelsPerRange);
                float[] packedA = buffers.packedA.get(participant);
                float[] tile = buffers.tiles.get(participant);
                PanelPacker.pack(reader, a, i0, rows, pc, depth, kernel.rows(), packedA, 0);
                macroKernel(buffers.packedB, packedA, tile, i0, rows, jc, columns, firstPanel, endPanel, depth, firstBlock);
            });
        }

        private void macroKernel(float[] packedB, float[] packedA, float[] tile, long i0, int rows, long jc, int columns,
                                 int firstPanel, int endPanel, int depth, boolean firstBlock) {
            int nr = kernel.columns();
            for (int group = firstPanel; group < endPanel; group += panelsPerWrite) {
                int groupEnd = Math.min(endPanel, group + panelsPerWrite);
                int tileStride = (groupEnd - group) * nr;
                kernel.multiplyPanels(packedA, 0, packedB, 0, depth, rows, group, groupEnd, tile);
                int j = group * nr;
                writer.write(tile, tileStride, rows, Math.min(columns, groupEnd * nr) - j, c, i0 * ldc + jc + j, ldc, firstBlock);
            }
        }

        private void forEach(int count, WorkerPool.Body body) {
            if (participants == 1) {
                for (int item = 0; item < count; item++) {
                    body.run(item, 0);
                }
            } else {
                pool.forEach(count, body);
            }
        }
    }

    /** Packing buffers of one call: B's block, shared, and an A block and a tile per participant. */
    private static final class Buffers {
        float[] packedB;
        final List<float[]> packedA = new ArrayList<>();
        final List<float[]> tiles = new ArrayList<>();

        void ensure(int participants, int bLength, int aLength, int tileLength) {
            packedB = atLeast(packedB, bLength);
            for (int i = 0; i < participants; i++) {
                if (i == packedA.size()) {
                    packedA.add(null);
                    tiles.add(null);
                }
                packedA.set(i, atLeast(packedA.get(i), aLength));
                tiles.set(i, atLeast(tiles.get(i), tileLength));
            }
        }

        private static float[] atLeast(float[] array, int length) {
            return array != null && array.length >= length ? array : new float[length];
        }
    }
}
