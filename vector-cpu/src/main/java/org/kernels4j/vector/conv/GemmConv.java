package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.IdleBuffers;
import org.kernels4j.vector.WorkerPool;
import org.kernels4j.vector.gemm.PanelKernel;
import org.kernels4j.vector.gemm.VectorGemm;

/**
 * Convolution as an implicit GEMM on {@link VectorGemm}'s micro-kernel ({@link PanelKernel}), one output tile and
 * group at a time (a job):
 * <ul>
 *   <li>NHWC: {@code y[pixels, K/g] = X[pixels, C/g·R·S] · W_gᵀ}, pixels counted across images;</li>
 *   <li>NCHW: {@code y_n[K/g, pixels] = W_g[K/g, C/g·R·S] · X[C/g·R·S, pixels]} per image.</li>
 * </ul>
 * The weights are packed into panels once per call ({@link WeightPanels}); X is never materialised: each depth slice
 * of a block of pixels is packed from the input straight into panels ({@link Im2colPanels}), for 1×1 convolutions of
 * any stride as for the others. The BLIS loops follow: per slice, a block of rows of A packed per participant (NHWC)
 * or the tile's columns of B packed once and shared (NCHW), then the micro-kernel over (B panel, A panel) pairs.
 * Every input is widened to FP32; INT8 runs in slices shallow enough for exact FP32 sums, added into INT32
 * ({@link VectorGemm#int8Panels}). Outputs of the accumulator's type (FP32 for floating inputs, INT32 for INT8) are
 * accumulated in y directly, starting from the bias; the others (FP16, BF16, and FP32 from INT8) in a workspace of at
 * most {@code scratchElements} elements, then rounded once with the bias added ({@link ConvOutput}). Every element sums
 * its slices in order, each in depth order, so results depend neither on the tiling nor on the thread count.
 *
 * <p>Threads: large jobs run one after another, each spread over the pool; many small jobs (grouped convolutions,
 * small images) run side by side, one thread each.
 *
 * <p>Thread safety: {@link #run} may be called from several threads at once.
 */
final class GemmConv {
    /** Below this many multiply-adds per job, jobs run in parallel rather than each spread over the pool. */
    private static final long SMALL_JOB = 1L << 21;
    /** Rows of the rounding pass per parallel item. */
    private static final int ROWS_PER_ITEM = 16;
    /** Items per thread and slice, so that a core slowed by other work hands its share to the others. */
    private static final int ITEMS_PER_THREAD = 4;
    /** Fewest B panels an item covers, so that packing its A block stays cheap against the kernel work. */
    private static final int MIN_PANELS_PER_ITEM = 8;
    /** Tiles collect in a buffer of about this many elements before going to y row by row (as in the GEMM). */
    private static final int TILE_BUFFER_ELEMENTS = 16 * 1024;
    /** Weights of fewer elements are packed by the caller alone. */
    private static final int PARALLEL_PACKING = 1 << 16;

    private final WorkerPool pool;
    private final VectorGemm gemm;
    private final int scratchElements;
    /** Packing buffers kept for the next call. */
    private final IdleBuffers<Buffers> idleBuffers = new IdleBuffers<>(Buffers::new);

    /**
     * @param scratchElements the most elements of packed input block (NCHW) and of workspace one job may use; the tile
     *                        of output pixels shrinks to fit, down to one pixel
     */
    GemmConv(WorkerPool pool, VectorGemm gemm, int scratchElements) {
        if (scratchElements < 1) {
            throw new IllegalArgumentException("scratchElements: " + scratchElements + " is less than 1");
        }
        this.pool = pool;
        this.gemm = gemm;
        this.scratchElements = scratchElements;
    }

    /** Whether every output pixel reads exactly the input pixel at its place (a plain GEMM on the input). */
    static boolean isPointwise(Conv2dSpec spec) {
        return spec.r() == 1 && spec.s() == 1 && spec.strideH() == 1 && spec.strideW() == 1 && spec.padTop() == 0
                && spec.padBottom() == 0 && spec.padLeft() == 0 && spec.padRight() == 0;
    }

    void run(Conv2dSpec spec, Tensor x, Tensor w, ConvBias bias, Tensor y) {
        PanelKernel kernel = spec.inputType() == DType.INT8 ? gemm.int8Panels() : gemm.floatPanels(spec.inputType());
        Call call = new Call(kernel, spec, x.segment(), w.segment(), bias, y.segment());
        idleBuffers.use(call::run);
    }

    /** One convolution: its GEMM shapes, tiling and jobs. */
    private final class Call {
        final PanelKernel kernel;
        final Conv2dSpec spec;
        final MemorySegment w;
        final ConvBias bias;
        final MemorySegment y;
        final boolean nhwc;
        final DType accumulator;
        final boolean direct;
        final int filtersPerGroup;
        final long reduction;
        final long pixelsPerImage;
        /** Pixels a tile may hold: all of the flat N·P·Q range (NHWC) or of one image's P·Q (NCHW). */
        final long pixelRange;
        final int tilePixels;
        final int tilesPerRange;
        final int jobs;
        final long multiplyAddsPerJob;
        /** Panel width of the weights: the GEMM's B (columns) for NHWC, its A (rows) for NCHW. */
        final int weightWidth;
        final int tileColumns;
        /**
         * NCHW with one job per group (one image, one tile): each block of weights is used once, so it is packed just
         * before the kernel runs over it, as the GEMM packs A, rather than all at first: the whole packed tensor (9 MiB
         * for a res5 3×3) left the caches before the kernel came back to it.
         */
        final boolean weightsPerBlock;
        final Im2colPanels im2col;

        Call(PanelKernel kernel, Conv2dSpec spec, MemorySegment x, MemorySegment w, ConvBias bias, MemorySegment y) {
            this.kernel = kernel;
            this.spec = spec;
            this.w = w;
            this.bias = bias;
            this.y = y;
            this.nhwc = spec.layout() == Layout.NHWC;
            this.accumulator = spec.inputType() == DType.INT8 ? DType.INT32 : DType.FP32;
            this.direct = spec.outputType() == accumulator;
            this.filtersPerGroup = Math.toIntExact(spec.filtersPerGroup());
            this.reduction = spec.reductionLength();
            this.pixelsPerImage = spec.p() * spec.q();
            this.pixelRange = nhwc ? spec.n() * pixelsPerImage : pixelsPerImage;
            long perPixel = Math.max(Math.min(reduction, kernel.sliceDepth()), direct ? 0 : filtersPerGroup);
            long widest = Math.min(pixelRange, Math.max(1, scratchElements / perPixel));
            // Equal tiles, so that the last one is not a sliver.
            this.tilesPerRange = Math.toIntExact(Math.ceilDiv(pixelRange, widest));
            this.tilePixels = Math.toIntExact(Math.ceilDiv(pixelRange, tilesPerRange));
            long ranges = nhwc ? 1 : spec.n();
            this.jobs = Math.toIntExact(ranges * tilesPerRange * spec.groups());
            this.multiplyAddsPerJob = (long) tilePixels * filtersPerGroup * reduction;
            this.weightWidth = nhwc ? kernel.columns() : kernel.rows();
            this.tileColumns = Math.max(1, TILE_BUFFER_ELEMENTS / (kernel.rowBlock() * kernel.columns())) * kernel.columns();
            this.im2col = new Im2colPanels(spec, x, kernel);
            this.weightsPerBlock = !nhwc && jobs == spec.groups();
        }

        void run(Buffers buffers) {
            int participants = pool.threads();
            int kc = (int) Math.min(kernel.sliceDepth(), reduction);
            int paddedTile = Math.ceilDiv(tilePixels, kernel.columns()) * kernel.columns();
            int stagingLength = Math.max(Math.max(kernel.rows(), kernel.columns()) * kc, nhwc ? 0 : paddedTile);
            int inputBlock = nhwc ? 0 : kc * paddedTile;
            buffers.ensure(participants, weightsPerBlock ? 0 : WeightPanels.length(spec, weightWidth), inputBlock,
                    kernel.rowBlock() * kc, kernel.rowBlock() * tileColumns, stagingLength);
            if (!weightsPerBlock) {
                WeightPanels.pack(spec, w, kernel, weightWidth, buffers.weights, buffers.staging, pool,
                        participants > 1 && WeightPanels.length(spec, weightWidth) >= PARALLEL_PACKING);
            }

            if (jobs > 1 && multiplyAddsPerJob < SMALL_JOB && participants > 1) {
                pool.forEach(jobs, (job, participant) -> runJob(buffers, job, false, participant));
            } else {
                for (int job = 0; job < jobs; job++) {
                    runJob(buffers, job, participants > 1 && multiplyAddsPerJob >= SMALL_JOB, 0);
                }
            }
        }

        /** Job = (image or the flat range, tile, group), group fastest; on the pool when {@code spread}. */
        void runJob(Buffers buffers, int job, boolean spread, int participant) {
            long group = job % spec.groups();
            int tile = (int) (job / spec.groups() % tilesPerRange);
            long image = job / spec.groups() / tilesPerRange;
            long firstPixel = (long) tile * tilePixels;
            int pixels = (int) Math.min(tilePixels, pixelRange - firstPixel);
            long firstFilter = group * filtersPerGroup;
            int rows = nhwc ? pixels : filtersPerGroup;
            int columns = nhwc ? filtersPerGroup : pixels;
            long yIndex = nhwc ? firstPixel * spec.k() + firstFilter : (image * spec.k() + firstFilter) * pixelsPerImage + firstPixel;
            long yLd = nhwc ? spec.k() : pixelsPerImage;
            Block block = new Block(image, firstPixel, group, rows, columns);
            if (direct) {
                if (bias.present()) {
                    ConvOutput.fillBias(y, yIndex, rows, columns, yLd, bias, firstFilter, nhwc, accumulator);
                }
                product(buffers, block, y, yIndex, yLd, bias.present(), spread, participant);
            } else {
                int[] intSums = accumulator == DType.INT32 ? new int[rows * columns] : null;
                float[] floatSums = intSums == null ? new float[rows * columns] : null;
                MemorySegment workspace = intSums != null ? MemorySegment.ofArray(intSums) : MemorySegment.ofArray(floatSums);
                product(buffers, block, workspace, 0, columns, false, spread, participant);
                forEach(spread, Math.ceilDiv(rows, ROWS_PER_ITEM), participant, (item, unused) -> {
                    for (int i = item * ROWS_PER_ITEM; i < Math.min(rows, (item + 1) * ROWS_PER_ITEM); i++) {
                        round(intSums, floatSums, i * columns, columns, nhwc ? firstFilter : firstFilter + i, yIndex + i * yLd);
                    }
                });
            }
        }

        /**
         * The job's product into {@code target} (rows {@code ld} apart from {@code index}), added to what is there when
         * {@code accumulate}, slice after slice.
         */
        private void product(Buffers buffers, Block block, MemorySegment target, long index, long ld, boolean accumulate,
                             boolean spread, int participant) {
            int mr = kernel.rows();
            int nr = kernel.columns();
            int panels = Math.ceilDiv(block.columns, nr);
            long blocksOfMc = Math.ceilDiv(block.rows, kernel.rowBlock());
            int blockRows = (int) (Math.ceilDiv(Math.ceilDiv(block.rows, blocksOfMc), mr) * mr);
            int rowBlocks = Math.ceilDiv(block.rows, blockRows);
            int wantedRanges = spread ? Math.ceilDiv(ITEMS_PER_THREAD * pool.threads(), rowBlocks) : 1;
            int ranges = Math.max(1, Math.min(wantedRanges, panels / MIN_PANELS_PER_ITEM));
            int panelsPerRange = Math.ceilDiv(panels, ranges);
            int rangeCount = Math.ceilDiv(panels, panelsPerRange);
            float[] inputBlock = buffers.inputBlocks.get(participant);
            for (long p0 = 0; p0 < reduction; p0 += kernel.sliceDepth()) {
                long sliceStart = p0;
                int depth = (int) Math.min(kernel.sliceDepth(), reduction - p0);
                boolean add = accumulate || p0 > 0;
                int weights = WeightPanels.offset(spec, weightWidth, block.group, p0);
                if (!nhwc) {
                    int panelsPerItem = Math.ceilDiv(panels, spread ? pool.threads() : 1);
                    forEach(spread, Math.ceilDiv(panels, panelsPerItem), participant, (item, worker) -> {
                        int first = item * panelsPerItem * nr;
                        int count = Math.min(block.columns, first + panelsPerItem * nr) - first;
                        im2col.packPixelColumns(block.image, block.firstPixel + first, count,
                                block.group, sliceStart, depth, nr, inputBlock, first * depth, buffers.staging.get(worker));
                    });
                }
                forEach(spread, rowBlocks * rangeCount, participant, (item, worker) -> {
                    int i0 = item / rangeCount * blockRows;
                    int rows = Math.min(blockRows, block.rows - i0);
                    int firstPanel = item % rangeCount * panelsPerRange;
                    int endPanel = Math.min(panels, firstPanel + panelsPerRange);
                    float[] packedA;
                    int aOffset;
                    float[] packedB;
                    int bOffset;
                    if (nhwc) {
                        packedA = buffers.packedA.get(worker);
                        aOffset = 0;
                        im2col.packPixelRows(block.firstPixel + i0, rows, block.group, sliceStart, depth, mr, packedA,
                                buffers.staging.get(worker));
                        packedB = buffers.weights;
                        bOffset = weights;
                    } else if (weightsPerBlock) {
                        packedA = buffers.packedA.get(worker);
                        aOffset = 0;
                        WeightPanels.packSlice(spec, w, kernel, mr, block.group, i0, i0 + rows, sliceStart, depth, packedA, 0,
                                buffers.staging.get(worker));
                        packedB = inputBlock;
                        bOffset = 0;
                    } else {
                        packedA = buffers.weights;
                        aOffset = weights + i0 * depth;
                        packedB = inputBlock;
                        bOffset = 0;
                    }
                    macroKernel(packedA, aOffset, packedB, bOffset, depth, rows, block.columns, firstPanel, endPanel,
                            buffers.tiles.get(worker), target, index + i0 * ld, ld, add);
                });
            }
        }

        /** The kernel over B panels [firstPanel, endPanel) × every A panel of the block, tiles written a group at a time. */
        private void macroKernel(float[] packedA, int aOffset, float[] packedB, int bOffset, int depth, int rows, int columns,
                                 int firstPanel, int endPanel, float[] tile, MemorySegment target, long index, long ld, boolean add) {
            int nr = kernel.columns();
            int panelsPerWrite = tileColumns / nr;
            for (int group = firstPanel; group < endPanel; group += panelsPerWrite) {
                int groupEnd = Math.min(endPanel, group + panelsPerWrite);
                int tileStride = (groupEnd - group) * nr;
                kernel.multiplyPanels(packedA, aOffset, packedB, bOffset, depth, rows, group, groupEnd, tile);
                int j = group * nr;
                kernel.write(tile, tileStride, rows, Math.min(columns, groupEnd * nr) - j, target, index + j, ld, add);
            }
        }

        /** One row of sums, channels-last (bias per column from {@code channel}) or of one channel, into y. */
        private void round(int[] intSums, float[] floatSums, int from, int count, long channel, long yIndex) {
            DType out = spec.outputType();
            if (intSums != null) {
                if (nhwc) {
                    ConvOutput.writeIntsPerChannel(intSums, from, count, bias, (int) channel, y, yIndex, out);
                } else {
                    ConvOutput.writeIntsOneChannel(intSums, from, count, bias, channel, y, yIndex, out);
                }
            } else if (nhwc) {
                ConvOutput.writeFloatsPerChannel(floatSums, from, count, bias, (int) channel, y, yIndex, out);
            } else {
                ConvOutput.writeFloatsOneChannel(floatSums, from, count, bias, channel, y, yIndex, out);
            }
        }

        /** Runs {@code body} over [0, count) on the pool when {@code spread}, else on the caller as {@code participant}. */
        private void forEach(boolean spread, int count, int participant, WorkerPool.Body body) {
            if (spread) {
                pool.forEach(count, body);
            } else {
                for (int item = 0; item < count; item++) {
                    body.run(item, participant);
                }
            }
        }
    }

    /**
     * A job's GEMM: {@code rows × columns} (pixels × filters for NHWC, filters × pixels for NCHW) of group
     * {@code group}, its pixels from {@code firstPixel} (flat over N·P·Q for NHWC, within image {@code image} for NCHW).
     */
    private record Block(long image, long firstPixel, long group, int rows, int columns) {
    }

    /**
     * Packed weights, shared; per participant an input block (NCHW's B, shared by the pool when a job is spread over
     * it), an A block, a tile buffer and a staging row.
     */
    private static final class Buffers {
        float[] weights;
        final List<float[]> inputBlocks = new ArrayList<>();
        final List<float[]> packedA = new ArrayList<>();
        final List<float[]> tiles = new ArrayList<>();
        final List<float[]> staging = new ArrayList<>();

        void ensure(int participants, int weightsLength, int inputLength, int aLength, int tileLength,
                    int stagingLength) {
            weights = atLeast(weights, weightsLength);
            for (int i = 0; i < participants; i++) {
                if (i == packedA.size()) {
                    inputBlocks.add(null);
                    packedA.add(null);
                    tiles.add(null);
                    staging.add(null);
                }
                inputBlocks.set(i, atLeast(inputBlocks.get(i), inputLength));
                packedA.set(i, atLeast(packedA.get(i), aLength));
                tiles.set(i, atLeast(tiles.get(i), tileLength));
                staging.set(i, atLeast(staging.get(i), stagingLength));
            }
        }

        private static float[] atLeast(float[] array, int length) {
            return array != null && array.length >= length ? array : new float[length];
        }
    }
}
