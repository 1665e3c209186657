package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.gemm.PanelKernel;

/**
 * Im2col written straight into the GEMM's packed panels, one depth slice and block of output pixels at a time, widened
 * to FP32 on the way; there is no column matrix. Padding becomes zeros. The reduction runs in the order of
 * the weights: (r, s, c) for NHWC, (c, r, s) for NCHW.
 * <ul>
 *   <li>NHWC, {@link #packPixelRows}: pixels are GEMM rows (A panels). A pixel's window over the slice is runs of
 *       channels, one per tap (per filter row when the taps are adjacent in memory), widened into a staging row; a
 *       panel's rows are then interleaved into it.</li>
 *   <li>NCHW, {@link #packPixelColumns}: pixels are GEMM columns (B panels), so each depth step is a run of pixels
 *       per output row along an input row, contiguous for unit stride: widened into a staging row of the block's
 *       pixels, which is then copied into the panels.</li>
 * </ul>
 * Blocks may be packed by several threads at once, each its own block or panels.
 */
final class Im2colPanels {
    private final Conv2dSpec spec;
    private final MemorySegment x;
    private final PanelKernel kernel;
    private final long channelsPerGroup;
    private final long outputPixels;
    /** With unit dilation and one group, the taps of a filter row are adjacent pixels: one run of channels. */
    private final boolean wholeFilterRows;
    /**
     * 1×1, unit stride, no padding: the input plane is the output plane, so a tile's pixels are adjacent in memory and
     * a window is one pixel's channels.
     */
    private final boolean contiguousPixels;

    Im2colPanels(Conv2dSpec spec, MemorySegment x, PanelKernel kernel) {
        this.spec = spec;
        this.x = x;
        this.kernel = kernel;
        this.channelsPerGroup = spec.channelsPerGroup();
        this.outputPixels = spec.p() * spec.q();
        this.wholeFilterRows = spec.dilationW() == 1 && spec.groups() == 1;
        this.contiguousPixels = GemmConv.isPointwise(spec);
    }

    /**
     * NHWC: the windows of {@code pixels} output pixels from {@code firstPixel} (flat over N·P·Q), group {@code group},
     * depth [p0, p0 + depth), into panels of {@code width} pixels from {@code target[0]}; lines past the last pixel
     * are zeros.
     *
     * @param staging at least {@code width·depth} elements
     */
    void packPixelRows(long firstPixel, int pixels, long group, long p0, int depth, int width, float[] target, float[] staging) {
        long n = firstPixel / outputPixels;
        long p = firstPixel % outputPixels / spec.q();
        long q = firstPixel % spec.q();
        for (int panel = 0; panel < pixels; panel += width) {
            int lines = Math.min(width, pixels - panel);
            for (int line = 0; line < lines; line++) {
                if (contiguousPixels) {
                    // The window is the pixel's own channels.
                    long pixel = firstPixel + panel + line;
                    kernel.widen(x, pixel * spec.c() + group * channelsPerGroup + p0, 1, depth, staging, line * depth);
                } else {
                    fillWindow(n, p, q, group, p0, depth, staging, line * depth);
                    // The next pixel without dividing: along the row, then to the next row and image.
                    if (++q == spec.q()) {
                        q = 0;
                        if (++p == spec.p()) {
                            p = 0;
                            n++;
                        }
                    }
                }
            }
            kernel.interleave(staging, 0, depth, lines, depth, target, panel * depth, width);
        }
    }

    /** The window of output pixel (n, p, q) over depth [p0, p0 + depth) into {@code row[rowOffset, rowOffset + depth)}. */
    private void fillWindow(long n, long p, long q, long group, long p0, int depth, float[] row, int rowOffset) {
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
    private void put(float[] row, int rowOffset, long p0, long end, long from, long to, long source) {
        long start = Math.max(from, p0);
        long stop = Math.min(to, end);
        if (start >= stop) {
            return;
        }
        int target = rowOffset + (int) (start - p0);
        int count = (int) (stop - start);
        if (source < 0) {
            Arrays.fill(row, target, target + count, 0f);
        } else {
            kernel.widen(x, source + (start - from), 1, count, row, target);
        }
    }

    /**
     * NCHW: depth [p0, p0 + depth) of {@code pixels} output pixels of image {@code image} from {@code firstPixel}
     * (an index in P·Q), group {@code group}, into panels of {@code width} pixels from {@code target[targetOffset]};
     * columns past the last pixel are zeros. Each depth step is first gathered into a staging row, one run per output
     * row, and then copied into the panels a panel row at a time: copying each run straight into the panels split it
     * at every panel edge, into calls of a few elements that cost more than the kernel on a 56-pixel-wide image.
     *
     * @param staging at least {@code pixels} rounded up to whole panels
     */
    void packPixelColumns(long image, long firstPixel, int pixels, long group, long p0, int depth, int width, float[] target,
                          int targetOffset, float[] staging) {
        int panels = Math.ceilDiv(pixels, width);
        if (contiguousPixels) {
            packContiguousPixels(image, firstPixel, pixels, group, p0, depth, width, target, targetOffset);
            return;
        }
        Arrays.fill(staging, pixels, panels * width, 0f);
        long taps = spec.r() * spec.s();
        int stride = spec.strideW();
        long firstRow = firstPixel / spec.q();
        long firstColumn = firstPixel % spec.q();
        // The tap (c, r, s) of each depth step and the output row of each run advance by one: no division per step.
        long c = p0 / taps;
        long r = p0 % taps / spec.s();
        long s = p0 % spec.s();
        for (int step = 0; step < depth; step++) {
            long plane = (image * spec.c() + group * channelsPerGroup + c) * spec.h() * spec.w();
            long p = firstRow;
            long q0 = firstColumn;
            for (int t = 0; t < pixels; p++, q0 = 0) {
                int length = (int) Math.min(spec.q() - q0, pixels - t);
                long ih = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
                if (ih < 0 || ih >= spec.h()) {
                    Arrays.fill(staging, t, t + length, 0f);
                } else {
                    long base = q0 * stride - spec.padLeft() + s * spec.dilationW();
                    int first = firstInside(base, stride, length);
                    int end = endInside(base, stride, spec.w(), length, first);
                    Arrays.fill(staging, t, t + first, 0f);
                    kernel.widen(x, plane + ih * spec.w() + base + (long) first * stride, stride, end - first, staging, t + first);
                    Arrays.fill(staging, t + end, t + length, 0f);
                }
                t += length;
            }
            for (int panel = 0; panel < panels; panel++) {
                System.arraycopy(staging, panel * width, target, targetOffset + panel * width * depth + step * width, width);
            }
            if (++s == spec.s()) {
                s = 0;
                if (++r == spec.r()) {
                    r = 0;
                    c++;
                }
            }
        }
    }

    /**
     * NCHW 1×1 with unit stride and no padding: a depth step is one contiguous run of the tile's pixels in its input
     * plane, widened straight into the panels a panel row at a time.
     */
    private void packContiguousPixels(long image, long firstPixel, int pixels, long group, long p0, int depth, int width,
                                      float[] target, int targetOffset) {
        int panels = Math.ceilDiv(pixels, width);
        if (pixels % width != 0) {
            int lastPanel = targetOffset + (panels - 1) * width * depth;
            Arrays.fill(target, lastPanel, lastPanel + width * depth, 0f);
        }
        for (int step = 0; step < depth; step++) {
            long run = (image * spec.c() + group * channelsPerGroup + p0 + step) * outputPixels + firstPixel;
            for (int panel = 0; panel < panels; panel++) {
                int lanes = Math.min(width, pixels - panel * width);
                kernel.widen(x, run + (long) panel * width, 1, lanes, target, targetOffset + panel * width * depth + step * width);
            }
        }
    }

    /** The first j in [0, count] with base + j·step ≥ 0. */
    private static int firstInside(long base, int step, int count) {
        return base >= 0 ? 0 : (int) Math.min(count, Math.ceilDiv(-base, step));
    }

    /** The end of the j in [first, count) with base + j·step &lt; limit. */
    private static int endInside(long base, int step, long limit, int count, int first) {
        long room = limit - base;
        long end = room <= 0 ? 0 : Math.min(count, step == 1 ? room : Math.ceilDiv(room, step));
        return (int) Math.max(first, end);
    }
}
