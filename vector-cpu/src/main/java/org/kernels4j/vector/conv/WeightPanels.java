package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.WorkerPool;
import org.kernels4j.vector.gemm.PanelKernel;

/**
 * The weights of every group packed once per call into panels of {@code width} filters, slice by slice of the
 * reduction, widened to FP32: in both layouts a filter's weights are one contiguous run in the reduction's
 * order, so a panel's filters are widened into staging rows a slice at a time and interleaved into the panel. Group g's
 * slice from depth p0 starts at {@link #offset}; its panels follow each other, {@code width·depth} elements each.
 */
final class WeightPanels {
    /** Filters per parallel item, in panels: enough to amortise handing the item out. */
    private static final int PANELS_PER_ITEM = 4;

    private WeightPanels() {
    }

    /** Filters of a group rounded up to whole panels. */
    static int paddedFilters(Conv2dSpec spec, int width) {
        return Math.toIntExact(Math.ceilDiv(spec.filtersPerGroup(), width) * width);
    }

    /** Elements all groups take. */
    static int length(Conv2dSpec spec, int width) {
        return Math.toIntExact(spec.groups() * paddedFilters(spec, width) * spec.reductionLength());
    }

    /** Where group {@code group}'s slice from depth {@code p0} starts. */
    static int offset(Conv2dSpec spec, int width, long group, long p0) {
        return Math.toIntExact((group * spec.reductionLength() + p0) * paddedFilters(spec, width));
    }

    /**
     * Packs w into {@code target} on {@code pool} when {@code parallel}, else on the caller.
     *
     * @param staging one array per participant, each at least {@code width} slices long
     */
    static void pack(Conv2dSpec spec, MemorySegment w, PanelKernel kernel, int width, float[] target, List<float[]> staging,
                     WorkerPool pool, boolean parallel) {
        int padded = paddedFilters(spec, width);
        int panelsPerGroup = padded / width;
        int itemsPerGroup = Math.ceilDiv(panelsPerGroup, PANELS_PER_ITEM);
        int items = Math.toIntExact(spec.groups() * itemsPerGroup);
        WorkerPool.Body body = (item, participant) -> {
            long group = item / itemsPerGroup;
            int firstLine = item % itemsPerGroup * PANELS_PER_ITEM * width;
            int endLine = Math.min(padded, firstLine + PANELS_PER_ITEM * width);
            packLines(spec, w, kernel, width, target, staging.get(participant), group, firstLine, endLine);
        };
        if (parallel) {
            pool.forEach(items, body);
        } else {
            for (int item = 0; item < items; item++) {
                body.run(item, 0);
            }
        }
    }

    private static void packLines(Conv2dSpec spec, MemorySegment w, PanelKernel kernel, int width, float[] target, float[] rows,
                                  long group, int firstLine, int endLine) {
        long reduction = spec.reductionLength();
        int kc = kernel.sliceDepth();
        for (long p0 = 0; p0 < reduction; p0 += kc) {
            int depth = (int) Math.min(kc, reduction - p0);
            packSlice(spec, w, kernel, width, group, firstLine, endLine, p0, depth, target,
                    offset(spec, width, group, p0) + firstLine * depth, rows);
        }
    }

    /**
     * Filters [firstLine, endLine) of group {@code group} (firstLine a multiple of {@code width}), depth [p0, p0 +
     * depth), into consecutive panels from {@code target[targetOffset]}: for a caller that packs a block of filters
     * just before using it, while it is in cache.
     *
     * @param rows staging of at least {@code width·depth} elements
     */
    static void packSlice(Conv2dSpec spec, MemorySegment w, PanelKernel kernel, int width, long group, int firstLine,
                          int endLine, long p0, int depth, float[] target, int targetOffset, float[] rows) {
        long reduction = spec.reductionLength();
        long filters = spec.filtersPerGroup();
        for (int panel = firstLine; panel < endLine; panel += width) {
            int lines = (int) Math.max(0, Math.min(width, filters - panel));
            for (int line = 0; line < lines; line++) {
                kernel.widen(w, (group * filters + panel + line) * reduction + p0, 1, depth, rows, line * depth);
            }
            kernel.interleave(rows, 0, depth, lines, depth, target, targetOffset + (panel - firstLine) * depth, width);
        }
    }
}
