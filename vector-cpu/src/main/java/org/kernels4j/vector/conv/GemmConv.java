package org.kernels4j.vector.conv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.vector.WorkerPool;
import org.kernels4j.vector.gemm.VectorGemm;

/**
 * Convolution as GEMM on the packed {@link VectorGemm}, one output tile and group at a time (a job):
 * <ul>
 *   <li>NHWC: {@code y[pixels, K/g] = X[pixels, C/g·R·S] · W_gᵀ}, pixels counted across images;</li>
 *   <li>NCHW: {@code y_n[K/g, pixels] = W_g[K/g, C/g·R·S] · X[C/g·R·S, pixels]} per image.</li>
 * </ul>
 * X is the input itself for a 1×1 convolution with unit stride and no padding (pointwise), and otherwise an
 * {@link Im2col} matrix in a scratch buffer of at most {@code scratchElements} elements per thread — which bounds the
 * tile. Outputs of the accumulator's type (FP32 for floating inputs, INT32 for INT8) are accumulated in y directly,
 * starting from the bias; the others (FP16, BF16, and FP32 from INT8) are accumulated in a workspace of the same bound
 * and then rounded once with the bias added ({@link ConvOutput}).
 *
 * <p>Threads: large jobs run one after another, each GEMM (and im2col, and the rounding pass) spread over the pool;
 * many small jobs (grouped convolutions, small images) run side by side, one thread each. Either way every element
 * is computed the same way, so results do not depend on the thread count.
 *
 * <p>Thread safety: {@link #run} may be called from several threads at once.
 */
final class GemmConv {
    /** Below this many multiply-adds per job, jobs run in parallel rather than each GEMM (whose threshold is the same). */
    private static final long SMALL_JOB = 1L << 21;
    /** Rows of im2col or of the rounding pass per parallel item. */
    private static final int ROWS_PER_ITEM = 16;

    private final WorkerPool pool;
    private final VectorGemm gemm;
    private final int scratchElements;
    /**
     * Im2col buffers kept for the next call. They are native memory like the tensors, freed by the GC once unused: a heap
     * byte[] scratch made the GEMM's vector loads fall back to Java code when it packed from it (NCHW 3×3 ran at half the
     * GEMM's speed), and a shared arena per call would cost every thread a handshake when it closes.
     */
    private final ConcurrentLinkedQueue<MemorySegment> idleScratch = new ConcurrentLinkedQueue<>();

    /**
     * @param scratchElements the most elements of im2col matrix (and of workspace) one job may use; the tile of output
     *                        pixels shrinks to fit, down to one pixel
     */
    GemmConv(WorkerPool pool, VectorGemm gemm, int scratchElements) {
        if (scratchElements < 1) {
            throw new IllegalArgumentException("scratchElements: " + scratchElements + " is less than 1");
        }
        this.pool = pool;
        this.gemm = gemm;
        this.scratchElements = scratchElements;
    }

    /** Whether a convolution needs no im2col: every output pixel reads exactly the input pixel at its place. */
    static boolean isPointwise(Conv2dSpec spec) {
        return spec.r() == 1 && spec.s() == 1 && spec.strideH() == 1 && spec.strideW() == 1 && spec.padTop() == 0
                && spec.padBottom() == 0 && spec.padLeft() == 0 && spec.padRight() == 0;
    }

    void run(Conv2dSpec spec, Tensor x, Tensor w, ConvBias bias, Tensor y) {
        Call call = new Call(spec, x.segment(), w.segment(), bias, y.segment());
        if (call.jobs > 1 && call.multiplyAddsPerJob < SMALL_JOB && pool.threads() > 1) {
            MemorySegment[] scratch = new MemorySegment[pool.threads()];
            try {
                pool.forEach(call.jobs, (job, participant) -> {
                    if (scratch[participant] == null) {
                        scratch[participant] = call.acquireScratch();
                    }
                    call.runJob(job, scratch[participant], false);
                });
            } finally {
                for (MemorySegment buffer : scratch) {
                    release(buffer);
                }
            }
        } else {
            MemorySegment scratch = call.acquireScratch();
            try {
                for (int job = 0; job < call.jobs; job++) {
                    call.runJob(job, scratch, true);
                }
            } finally {
                release(scratch);
            }
        }
    }

    private void release(MemorySegment scratch) {
        if (scratch != null && scratch.byteSize() > 0) {
            idleScratch.offer(scratch);
        }
    }

    /** One convolution: its GEMM shapes, tiling and jobs. */
    private final class Call {
        final Conv2dSpec spec;
        final MemorySegment x;
        final MemorySegment w;
        final ConvBias bias;
        final MemorySegment y;
        final boolean nhwc;
        final boolean pointwise;
        final DType accumulator;
        final boolean direct;
        final long channelsPerGroup;
        final int filtersPerGroup;
        final long reduction;
        final long pixelsPerImage;
        /** Pixels a tile may hold: all of the flat N·P·Q range (NHWC) or of one image's P·Q (NCHW). */
        final long pixelRange;
        final int tilePixels;
        final int tilesPerRange;
        final int jobs;
        final long multiplyAddsPerJob;
        final Im2col im2col;

        Call(Conv2dSpec spec, MemorySegment x, MemorySegment w, ConvBias bias, MemorySegment y) {
            this.spec = spec;
            this.x = x;
            this.w = w;
            this.bias = bias;
            this.y = y;
            this.nhwc = spec.layout() == Layout.NHWC;
            this.pointwise = isPointwise(spec);
            this.accumulator = spec.inputType() == DType.INT8 ? DType.INT32 : DType.FP32;
            this.direct = spec.outputType() == accumulator;
            this.channelsPerGroup = spec.channelsPerGroup();
            this.filtersPerGroup = Math.toIntExact(spec.filtersPerGroup());
            this.reduction = spec.reductionLength();
            this.pixelsPerImage = spec.p() * spec.q();
            this.pixelRange = nhwc ? spec.n() * pixelsPerImage : pixelsPerImage;
            long perPixel = Math.max(1, Math.max(pointwise ? 0 : reduction, direct ? 0 : filtersPerGroup));
            long widest = Math.min(pixelRange, Math.max(1, scratchElements / perPixel));
            // Equal tiles, so that the last one is not a sliver.
            this.tilesPerRange = Math.toIntExact(Math.ceilDiv(pixelRange, widest));
            this.tilePixels = Math.toIntExact(Math.ceilDiv(pixelRange, tilesPerRange));
            long ranges = nhwc ? 1 : spec.n();
            this.jobs = Math.toIntExact(ranges * tilesPerRange * spec.groups());
            this.multiplyAddsPerJob = (long) tilePixels * filtersPerGroup * reduction;
            this.im2col = pointwise ? null : new Im2col(spec, x);
        }

        MemorySegment acquireScratch() {
            if (pointwise) {
                return MemorySegment.NULL;
            }
            long bytes = (long) tilePixels * reduction * spec.inputType().byteSize();
            MemorySegment scratch = idleScratch.poll();
            return scratch != null && scratch.byteSize() >= bytes ? scratch : Arena.ofAuto().allocate(bytes, 64);
        }

        /** Job = (image or the flat range, tile, group), group fastest. */
        void runJob(int job, MemorySegment scratch, boolean spread) {
            long group = job % spec.groups();
            int tile = (int) (job / spec.groups() % tilesPerRange);
            long image = job / spec.groups() / tilesPerRange;
            long firstPixel = (long) tile * tilePixels;
            int pixels = (int) Math.min(tilePixels, pixelRange - firstPixel);
            MemorySegment operand;
            long operandIndex;
            long operandLd;
            if (pointwise) {
                operand = x;
                operandIndex = nhwc ? firstPixel * spec.c() + group * channelsPerGroup
                        : (image * spec.c() + group * channelsPerGroup) * pixelsPerImage + firstPixel;
                operandLd = nhwc ? spec.c() : pixelsPerImage;
            } else {
                operand = scratch;
                forRows(im2col.rows(pixels), spread, (from, to) -> im2col.fill(image, firstPixel, pixels, group, from, to, operand));
                operandIndex = 0;
                operandLd = nhwc ? reduction : pixels;
            }
            long firstFilter = group * filtersPerGroup;
            int rows = nhwc ? pixels : filtersPerGroup;
            int columns = nhwc ? filtersPerGroup : pixels;
            long yIndex = nhwc ? firstPixel * spec.k() + firstFilter : (image * spec.k() + firstFilter) * pixelsPerImage + firstPixel;
            long yLd = nhwc ? spec.k() : pixelsPerImage;
            if (direct) {
                if (bias.present()) {
                    ConvOutput.fillBias(y, yIndex, rows, columns, yLd, bias, firstFilter, nhwc, accumulator);
                }
                multiply(operand, operandIndex, operandLd, firstFilter, pixels, y, yIndex, yLd, bias.present() ? 1f : 0f);
            } else {
                int[] intSums = accumulator == DType.INT32 ? new int[rows * columns] : null;
                float[] floatSums = intSums == null ? new float[rows * columns] : null;
                MemorySegment workspace = intSums != null ? MemorySegment.ofArray(intSums) : MemorySegment.ofArray(floatSums);
                multiply(operand, operandIndex, operandLd, firstFilter, pixels, workspace, 0, columns, 0f);
                forRows(rows, spread, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        round(intSums, floatSums, i * columns, columns, nhwc ? firstFilter : firstFilter + i, yIndex + i * yLd);
                    }
                });
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

        /** The job's GEMM into {@code target}, whose rows are {@code ld} apart, with C = sums + beta·C. */
        private void multiply(MemorySegment operand, long operandIndex, long operandLd, long firstFilter, int pixels,
                              MemorySegment target, long targetIndex, long ld, float beta) {
            DType in = spec.inputType();
            long weightsIndex = firstFilter * reduction;
            GemmSpec.Builder shape = GemmSpec.builder().k(reduction).inputType(in).outputType(accumulator).beta(beta).ldc(ld);
            Tensor a;
            Tensor b;
            if (nhwc) {
                shape.m(pixels).n(filtersPerGroup).transB(true).lda(operandLd).ldb(reduction);
                a = matrix(operand, operandIndex, in, pixels, reduction, operandLd);
                b = matrix(w, weightsIndex, in, filtersPerGroup, reduction, reduction);
            } else {
                shape.m(filtersPerGroup).n(pixels).lda(reduction).ldb(operandLd);
                a = matrix(w, weightsIndex, in, filtersPerGroup, reduction, reduction);
                b = matrix(operand, operandIndex, in, reduction, pixels, operandLd);
            }
            GemmSpec gemmSpec = shape.build();
            gemm.gemmInDepthOrder(gemmSpec, a, b, matrix(target, targetIndex, accumulator, gemmSpec.m(), gemmSpec.n(), ld));
        }

        /** Runs {@code body} over [0, rows) in chunks, on the whole pool when {@code spread}. */
        private void forRows(int rows, boolean spread, RowRange body) {
            if (!spread || rows <= ROWS_PER_ITEM) {
                body.run(0, rows);
                return;
            }
            pool.forEach(Math.ceilDiv(rows, ROWS_PER_ITEM), (item, participant) ->
                    body.run(item * ROWS_PER_ITEM, Math.min(rows, (item + 1) * ROWS_PER_ITEM)));
        }
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /** A borrowed row-major view of {@code rows × columns} elements from element {@code index}, rows {@code ld} apart. */
    private static Tensor matrix(MemorySegment segment, long index, DType dtype, long rows, long columns, long ld) {
        return Tensor.wrap(segment.asSlice(index * dtype.byteSize()), dtype, new long[] {rows, columns}, new long[] {ld, 1});
    }
}
