package org.kernels4j.vector.conv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves runs of tensor elements between segments by their bits, whatever the dtype (1, 2 or 4 bytes each), so that
 * im2col is written once for every dtype and copies values exactly (NaN payloads included). Indices count elements.
 */
final class ElementRuns {
    /** Below this many bytes a run is moved element by element: {@link MemorySegment#copy}'s fixed cost would dominate. */
    private static final int BULK_BYTES = 64;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private ElementRuns() {
    }

    /** Copies {@code count} consecutive elements of {@code size} bytes. */
    static void copy(MemorySegment source, long sourceIndex, MemorySegment target, long targetIndex, int count, int size) {
        if ((long) count * size >= BULK_BYTES) {
            MemorySegment.copy(source, sourceIndex * size, target, targetIndex * size, (long) count * size);
        } else {
            gather(source, sourceIndex, 1, target, targetIndex, count, size);
        }
    }

    /** Copies {@code count} elements {@code sourceStride} apart in the source into consecutive target elements. */
    static void gather(MemorySegment source, long sourceIndex, long sourceStride, MemorySegment target, long targetIndex,
                       int count, int size) {
        switch (size) {
            case 1 -> {
                for (int i = 0; i < count; i++) {
                    target.set(ValueLayout.JAVA_BYTE, targetIndex + i, source.get(ValueLayout.JAVA_BYTE, sourceIndex + i * sourceStride));
                }
            }
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    target.setAtIndex(SHORT, targetIndex + i, source.getAtIndex(SHORT, sourceIndex + i * sourceStride));
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    target.setAtIndex(INT, targetIndex + i, source.getAtIndex(INT, sourceIndex + i * sourceStride));
                }
            }
            default -> throw new IllegalArgumentException("size: " + size + " bytes is not an element size (1, 2 or 4)");
        }
    }

    /** Zeroes {@code count} elements: the bits of +0 in every dtype. */
    static void zero(MemorySegment target, long targetIndex, int count, int size) {
        if (count > 0) {
            target.asSlice(targetIndex * size, (long) count * size).fill((byte) 0);
        }
    }
}
