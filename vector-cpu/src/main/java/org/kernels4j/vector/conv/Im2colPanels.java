package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.gemm.PanelKernel;

/**
 * Im2col written straight into the GEMM's packed panels, one depth slice and block of output pixels at a time, widened
 * to the packed type on the way; there is no column matrix. Padding becomes zeros. The reduction runs in the order of
 * the weights: (r, s, c) for NHWC, (c, r, s) for NCHW.
 * <ul>
 *   <li>NHWC, {@link #packPixelRows}: pixels are GEMM rows (A panels). A pixel's window over the slice is runs of
 *       channels, one per tap (per filter row when the taps are adjacent in memory), widened into a staging row; a
 *       panel's rows are then interleaved into it.</li>
 *   <li>NCHW, {@link #packPixelColumns}: pixels are GEMM columns (B panels), so each depth step is a run of pixels
 *       along an input row: contiguous for unit stride, and copied straight into the panel.</li>
 * </ul>
 * Blocks may be packed by several threads at once, each its own block or panels.
 */
final class Im2colPanels<A> {
    private final Conv2dSpec spec;
    private final MemorySegment x;
    private final PanelKernel<A> kernel;
    private final long channelsPerGroup;
    private final long outputPixels;
    /** With unit dilation and one group, the taps of a filter row are adjacent pixels: one run of channels. */
    private final boolean wholeFilterRows;

    Im2colPanels(Conv2dSpec spec, MemorySegment x, PanelKernel<A> kernel) {
        this.spec = spec;
        this.x = x;
        this.kernel = kernel;
        this.channelsPerGroup = spec.channelsPerGroup();
        this.outputPixels = spec.p() * spec.q();
        this.wholeFilterRows = spec.dilationW() == 1 && spec.groups() == 1;
    }

    /**
     * NHWC: the windows of {@code pixels} output pixels from {@code firstPixel} (flat over N·P·Q), group {@code group},
     * depth [p0, p0 + depth), into panels of {@code width} pixels from {@code target[0]}; lines past the last pixel
     * are zeros.
     *
     * @param staging at least {@code width·depth} elements
     */
    void packPixelRows(long firstPixel, int pixels, long group, long p0, int depth, int width, A target, A staging) {
        for (int panel = 0; panel < pixels; panel += width) {
            int lines = Math.min(width, pixels - panel);
            for (int line = 0; line < lines; line++) {
                fillWindow(firstPixel + panel + line, group, p0, depth, staging, line * depth);
            }
            kernel.interleave(staging, 0, depth, lines, depth, target, panel * depth, width);
        }
    }

    /** The window of one pixel over depth [p0, p0 + depth) into {@code row[rowOffset, rowOffset + depth)}. */
    private void fillWindow(long pixel, long group, long p0, int depth, A row, int rowOffset) {
        long n = pixel / outputPixels;
        long p = pixel % outputPixels / spec.q();
        long q = pixel % spec.q();
        long c = spec.c();
        long rowLength = spec.s() * channelsPerGroup;
        long end = p0 + depth;
        long base = q * spec.strideW() - spec.padLeft();
        int firstTap = firstInside(base, spec.dilationW(), (int) spec.s());
        int endTap = endInside(base, spec.dilationW(), spec.w(), (int) spec.s(), firstTap);
        for (long r = p0 / rowLength; r < spec.r() && r * rowLength < end; r++) {
            long rowStart = r * rowLength;
            long ih = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
            if (ih < 0 || ih >= spec.h()) {
                put(row, rowOffset, p0, end, rowStart, rowStart + rowLength, -1);
                continue;
            }
            long pixelRow = (n * spec.h() + ih) * spec.w();
            long insideStart = rowStart + firstTap * channelsPerGroup;
            long insideEnd = rowStart + endTap * channelsPerGroup;
            put(row, rowOffset, p0, end, rowStart, insideStart, -1);
            if (wholeFilterRows) {
                put(row, rowOffset, p0, end, insideStart, insideEnd, (pixelRow + base + firstTap) * c);
            } else {
                for (int s = firstTap; s < endTap; s++) {
                    long tapStart = rowStart + s * channelsPerGroup;
                    long iw = base + (long) s * spec.dilationW();
                    put(row, rowOffset, p0, end, tapStart, tapStart + channelsPerGroup, (pixelRow + iw) * c + group * channelsPerGroup);
                }
            }
            put(row, rowOffset, p0, end, insideEnd, rowStart + rowLength, -1);
        }
    }

    /**
     * Depth positions [from, to) of a window, clipped to the slice [p0, end), into {@code row}: x's elements from
     * {@code source} (the element at depth {@code from}), or zeros when {@code source} is negative.
     */
    private void put(A row, int rowOffset, long p0, long end, long from, long to, long source) {
        long start = Math.max(from, p0);
        long stop = Math.min(to, end);
        if (start >= stop) {
            return;
        }
        int target = rowOffset + (int) (start - p0);
        int count = (int) (stop - start);
        if (source < 0) {
            kernel.clear(row, target, target + count);
        } else {
            kernel.widen(x, source + (start - from), 1, count, row, target);
        }
    }

    /**
     * NCHW: depth [p0, p0 + depth) of {@code pixels} output pixels of image {@code image} from {@code firstPixel}
     * (an index in P·Q), group {@code group}, into panels of {@code width} pixels from {@code target[targetOffset]};
     * columns past the last pixel are zeros.
     */
    void packPixelColumns(long image, long firstPixel, int pixels, long group, long p0, int depth, int width, A target,
                          int targetOffset) {
        int panels = Math.ceilDiv(pixels, width);
        if (pixels % width != 0) {
            int lastPanel = targetOffset + (panels - 1) * width * depth;
            kernel.clear(target, lastPanel, lastPanel + width * depth);
        }
        long taps = spec.r() * spec.s();
        int stride = spec.strideW();
        for (int step = 0; step < depth; step++) {
            long d = p0 + step;
            long c = d / taps;
            long r = d % taps / spec.s();
            long s = d % spec.s();
            long plane = (image * spec.c() + group * channelsPerGroup + c) * spec.h() * spec.w();
            int stepTarget = targetOffset + step * width;
            for (int t = 0; t < pixels; ) {
                long pixel = firstPixel + t;
                long p = pixel / spec.q();
                long q0 = pixel % spec.q();
                int length = (int) Math.min(spec.q() - q0, pixels - t);
                long ih = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
                if (ih < 0 || ih >= spec.h()) {
                    putColumns(target, stepTarget, depth, width, t, length, -1, 0);
                } else {
                    long base = q0 * stride - spec.padLeft() + s * spec.dilationW();
                    int first = firstInside(base, stride, length);
                    int end = endInside(base, stride, spec.w(), length, first);
                    putColumns(target, stepTarget, depth, width, t, first, -1, 0);
                    putColumns(target, stepTarget, depth, width, t + first, end - first,
                            plane + ih * spec.w() + base + (long) first * stride, stride);
                    putColumns(target, stepTarget, depth, width, t + end, length - end, -1, 0);
                }
                t += length;
            }
        }
    }

    /**
     * Pixels [t, t + count) of one depth step, split where they cross panels: x's elements {@code stride} apart from
     * {@code source}, or zeros when {@code source} is negative.
     */
    private void putColumns(A target, int stepTarget, int depth, int width, int t, int count, long source, int stride) {
        while (count > 0) {
            int lane = t % width;
            int run = Math.min(count, width - lane);
            int index = stepTarget + (t / width) * width * depth + lane;
            if (source < 0) {
                kernel.clear(target, index, index + run);
            } else {
                kernel.widen(x, source, stride, run, target, index);
                source += (long) run * stride;
            }
            t += run;
            count -= run;
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
