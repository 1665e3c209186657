package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.kernels4j.BFloat16;
import org.kernels4j.DType;

/**
 * Copies a run of matrix elements of one dtype, widened to FP32, from a tensor into packed panels.
 * Element i of the run (at source index {@code sourceIndex + i·sourceStride}) goes to group {@code i / group},
 * position {@code i % group} of the target, groups being {@code groupStride} apart and positions
 * {@code elementStride} apart. Packing calls it once per run, so the dtype is dispatched once per run, not per
 * element, and FP16/BF16/INT8 are widened to FP32 exactly once.
 */
@FunctionalInterface
interface ElementReader {
    ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /**
     * Copies contiguous groups (the panels of a row-major B) a vector at a time, and scatters a contiguous run into
     * one group through a staging buffer, with {@link ContiguousRuns}.
     */
    ElementReader FP32 = (source, sourceIndex, sourceStride, count, target, targetIndex, group, groupStride, elementStride) -> {
        if (sourceStride == 1 && elementStride != 1 && group >= count) {
            ContiguousRuns.scatterFloats(source, sourceIndex, count, target, targetIndex, elementStride);
            return;
        }
        boolean contiguous = sourceStride == 1 && elementStride == 1;
        for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
            int end = Math.min(count, first + group);
            int copied = contiguous ? ContiguousRuns.copyFloats(source, sourceIndex + first, end - first, target, t) : 0;
            for (int i = first + copied; i < end; i++) {
                target[t + (i - first) * elementStride] = source.getAtIndex(FLOAT, sourceIndex + i * sourceStride);
            }
        }
    };

    /**
     * Widens with {@link Float#float16ToFloat}, exact and a single instruction where the CPU has one (F16C). A
     * contiguous run is first staged in bulk ({@link ContiguousRuns#stageShorts}): C2 turns the conversion loop over
     * arrays into F16C's vector conversion, which it does not do element by element from a segment. Packing a
     * row-major B for m = 32 ran at 0.7× our FP32 speed without it.
     */
    ElementReader FP16 = (source, sourceIndex, sourceStride, count, target, targetIndex, group, groupStride, elementStride) -> {
        if (sourceStride == 1) {
            short[] bits = ContiguousRuns.stageShorts(source, sourceIndex, count);
            for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
                int end = Math.min(count, first + group);
                if (elementStride == 1) {
                    for (int i = first; i < end; i++) {
                        target[t + i - first] = Float.float16ToFloat(bits[i]);
                    }
                } else {
                    for (int i = first; i < end; i++) {
                        target[t + (i - first) * elementStride] = Float.float16ToFloat(bits[i]);
                    }
                }
            }
            return;
        }
        for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
            int end = Math.min(count, first + group);
            for (int i = first; i < end; i++) {
                target[t + (i - first) * elementStride] = Float.float16ToFloat(source.getAtIndex(SHORT, sourceIndex + i * sourceStride));
            }
        }
    };

    /** Widens contiguous groups (the panels of a row-major B) a vector at a time with {@link ContiguousRuns}. */
    ElementReader BF16 = (source, sourceIndex, sourceStride, count, target, targetIndex, group, groupStride, elementStride) -> {
        boolean contiguous = sourceStride == 1 && elementStride == 1;
        for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
            int end = Math.min(count, first + group);
            int widened = contiguous ? ContiguousRuns.widenBFloat16(source, sourceIndex + first, end - first, target, t) : 0;
            for (int i = first + widened; i < end; i++) {
                target[t + (i - first) * elementStride] = BFloat16.toFloat(source.getAtIndex(SHORT, sourceIndex + i * sourceStride));
            }
        }
    };

    /**
     * Widens INT8 to FP32, exact, for the INT8 GEMM that accumulates in FP32 (see {@link BlockSizes#MAX_EXACT_INT8_KC}).
     * A contiguous run is first staged in bulk, as {@link #FP16} does; contiguous groups (the panels of a row-major B)
     * are then widened a vector at a time with {@link ContiguousRuns#widenBytes}, and a run scattered into one group
     * with a plain array loop.
     */
    ElementReader INT8 = (source, sourceIndex, sourceStride, count, target, targetIndex, group, groupStride, elementStride) -> {
        if (sourceStride == 1) {
            byte[] values = ContiguousRuns.stageBytes(source, sourceIndex, count);
            for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
                int end = Math.min(count, first + group);
                if (elementStride == 1) {
                    int widened = ContiguousRuns.widenBytes(values, first, end - first, target, t);
                    for (int i = first + widened; i < end; i++) {
                        target[t + i - first] = values[i];
                    }
                } else {
                    for (int i = first; i < end; i++) {
                        target[t + (i - first) * elementStride] = values[i];
                    }
                }
            }
            return;
        }
        for (int first = 0, t = targetIndex; first < count; first += group, t += groupStride) {
            int end = Math.min(count, first + group);
            for (int i = first; i < end; i++) {
                target[t + (i - first) * elementStride] = source.get(ValueLayout.JAVA_BYTE, sourceIndex + i * sourceStride);
            }
        }
    };

    /**
     * @param count       elements in the run
     * @param group       run elements per target group
     * @param groupStride distance between target groups
     */
    void copy(MemorySegment source, long sourceIndex, long sourceStride, int count, float[] target, int targetIndex,
              int group, int groupStride, int elementStride);

    /** The reader that widens {@code dtype} (FP32, FP16 or BF16) to FP32. */
    static ElementReader toFloat(DType dtype) {
        return switch (dtype) {
            case FP32 -> FP32;
            case FP16 -> FP16;
            case BF16 -> BF16;
            default -> throw new IllegalArgumentException("dtype: " + dtype + " is not a floating-point GEMM input");
        };
    }
}
