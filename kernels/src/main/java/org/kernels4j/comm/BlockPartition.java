package org.kernels4j.comm;

/**
 * Splits {@code count} elements into {@code parts} consecutive blocks whose lengths differ by at most
 * one (the first {@code count % parts} blocks are one longer). Immutable.
 */
record BlockPartition(long count, int parts, int elementBytes) {

    long start(int block) {
        long base = count / parts;
        return block * base + Math.min(block, count % parts);
    }

    long length(int block) {
        return count / parts + (block < count % parts ? 1 : 0);
    }

    long byteOffset(int block) {
        return start(block) * elementBytes;
    }

    long byteLength(int block) {
        return length(block) * elementBytes;
    }

    long maxByteLength() {
        return byteLength(0);
    }
}
