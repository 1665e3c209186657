package org.kernels4j.comm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Scratch memory that a communicator keeps from call to call, in numbered slots that only grow: a fresh
 * multi-megabyte buffer per call costs more than the collective's own copies (the allocator maps new pages,
 * the arena zeroes them, and closing a shared arena costs every thread a handshake).
 *
 * <p>Slots come from an automatic arena: on the local transport a peer's thread copies out of them, and the
 * garbage collector frees a slot only once no one (no pending message either) can reach it, whereas closing
 * a shared arena stops every thread for a handshake. Growing a slot drops the old one; {@link #close()} drops
 * them all. Contents are whatever the last call left. Thread safety: used by the communicator's thread;
 * {@link #close()} may come from any thread, after which slots cannot be had.
 */
final class ScratchSpace implements AutoCloseable {
    private final List<MemorySegment> slots = new ArrayList<>();
    private boolean closed;

    /** Slot {@code index}, at least {@code bytes} long (one byte at least), 64-byte aligned. */
    synchronized MemorySegment slot(int index, long bytes) {
        if (closed) {
            throw new IllegalStateException("scratch space of a closed communicator");
        }
        long size = Math.max(bytes, 1);
        while (slots.size() <= index) {
            slots.add(null);
        }
        MemorySegment slot = slots.get(index);
        if (slot == null || slot.byteSize() < size) {
            slot = Arena.ofAuto().allocate(size, 64);
            slots.set(index, slot);
        }
        return slot.asSlice(0, size);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        slots.clear();
    }
}
