package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Lowers a tile of output pixels of one group to a GEMM operand (im2col), in the input dtype: the GEMM widens while it
 * packs. Padding becomes zeros. Rows can be filled in any order and by several threads, each its own rows.
 * <ul>
 *   <li>{@link Layout#NHWC}: a {@code T × (R·S·C/groups)} matrix, row t the input window of pixel t in the order
 *       (r, s, c) of the weights {@code [K, R, S, C/groups]}; pixels count across images.</li>
 *   <li>{@link Layout#NCHW}: a {@code (C/groups·R·S) × T} matrix, row (c, r, s) in the order of the weights
 *       {@code [K, C/groups, R, S]}, holding that tap's input for each pixel t of one image.</li>
 * </ul>
 */
final class Im2col {
    private final Conv2dSpec spec;
    private final MemorySegment x;
    private final int size;
    private final long channelsPerGroup;
    private final long outputPixels;

    Im2col(Conv2dSpec spec, MemorySegment x) {
        this.spec = spec;
        this.x = x;
        this.size = spec.inputType().byteSize();
        this.channelsPerGroup = spec.channelsPerGroup();
        this.outputPixels = spec.p() * spec.q();
    }

    /** Rows the matrix of a {@code pixels}-pixel tile has. */
    int rows(int pixels) {
        return spec.layout() == Layout.NHWC ? pixels : Math.toIntExact(spec.reductionLength());
    }

    /**
     * Fills rows [fromRow, toRow) of the matrix for the {@code pixels} output pixels from {@code firstPixel} (NHWC: a
     * flat index over N·P·Q; NCHW: an index in image {@code image}'s P·Q) and group {@code group}.
     */
    void fill(long image, long firstPixel, int pixels, long group, int fromRow, int toRow, MemorySegment matrix) {
        if (spec.layout() == Layout.NHWC) {
            for (int t = fromRow; t < toRow; t++) {
                fillPixelRow(firstPixel + t, group, matrix, (long) t * spec.reductionLength());
            }
        } else {
            for (int row = fromRow; row < toRow; row++) {
                fillTapRow(image, firstPixel, pixels, group, row, matrix, (long) row * pixels);
            }
        }
    }

    /** NHWC: the window of pixel {@code pixel}, runs of C/groups channels per tap (one run per filter row when possible). */
    private void fillPixelRow(long pixel, long group, MemorySegment matrix, long target) {
        long n = pixel / outputPixels;
        long p = pixel % outputPixels / spec.q();
        long q = pixel % spec.q();
        long c = spec.c();
        int tapRun = Math.toIntExact(channelsPerGroup);
        int rowLength = Math.toIntExact(spec.s() * channelsPerGroup);
        long base = q * spec.strideW() - spec.padLeft();
        int firstTap = firstInside(base, spec.dilationW(), (int) spec.s());
        int endTap = endInside(base, spec.dilationW(), spec.w(), (int) spec.s(), firstTap);
        // With unit dilation and one group, the taps of a filter row are adjacent pixels: one run of channels.
        boolean wholeRows = spec.dilationW() == 1 && spec.groups() == 1;
        for (long r = 0; r < spec.r(); r++) {
            long rowTarget = target + r * rowLength;
            long ih = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
            if (ih < 0 || ih >= spec.h()) {
                ElementRuns.zero(matrix, rowTarget, rowLength, size);
                continue;
            }
            ElementRuns.zero(matrix, rowTarget, firstTap * tapRun, size);
            long pixelRow = (n * spec.h() + ih) * spec.w();
            if (wholeRows) {
                long iw = base + firstTap;
                ElementRuns.copy(x, (pixelRow + iw) * c, matrix, rowTarget + (long) firstTap * tapRun, (endTap - firstTap) * tapRun, size);
            } else {
                for (int s = firstTap; s < endTap; s++) {
                    long iw = base + (long) s * spec.dilationW();
                    ElementRuns.copy(x, (pixelRow + iw) * c + group * channelsPerGroup, matrix, rowTarget + (long) s * tapRun, tapRun, size);
                }
            }
            ElementRuns.zero(matrix, rowTarget + (long) endTap * tapRun, (int) (spec.s() - endTap) * tapRun, size);
        }
    }

    /** NCHW: tap (c, r, s) for every pixel of the tile, one run per output row the tile touches. */
    private void fillTapRow(long image, long firstPixel, int pixels, long group, int row, MemorySegment matrix, long target) {
        long taps = spec.r() * spec.s();
        long c = row / taps;
        long r = row % taps / spec.s();
        long s = row % spec.s();
        long plane = (image * spec.c() + group * channelsPerGroup + c) * spec.h() * spec.w();
        int stride = spec.strideW();
        for (int t = 0; t < pixels; ) {
            long pixel = firstPixel + t;
            long p = pixel / spec.q();
            long q0 = pixel % spec.q();
            int length = (int) Math.min(spec.q() - q0, pixels - t);
            long ih = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
            long runTarget = target + t;
            if (ih < 0 || ih >= spec.h()) {
                ElementRuns.zero(matrix, runTarget, length, size);
            } else {
                long base = q0 * stride - spec.padLeft() + s * spec.dilationW();
                int first = firstInside(base, stride, length);
                int end = endInside(base, stride, spec.w(), length, first);
                long source = plane + ih * spec.w() + base + (long) first * stride;
                ElementRuns.zero(matrix, runTarget, first, size);
                if (stride == 1) {
                    ElementRuns.copy(x, source, matrix, runTarget + first, end - first, size);
                } else {
                    ElementRuns.gather(x, source, stride, matrix, runTarget + first, end - first, size);
                }
                ElementRuns.zero(matrix, runTarget + end, length - end, size);
            }
            t += length;
        }
    }

    /** The first j in [0, count] with base + j·step ≥ 0. */
    private static int firstInside(long base, int step, int count) {
        return base >= 0 ? 0 : (int) Math.min(count, Math.ceilDiv(-base, step));
    }

    /** The end of the j in [first, count) with base + j·step &lt; limit. */
    private static int endInside(long base, int step, long limit, int count, int first) {
        long end = limit - base <= 0 ? 0 : Math.min(count, Math.ceilDiv(limit - base, step));
        return (int) Math.max(first, end);
    }
}
