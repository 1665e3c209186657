package org.kernels4j.comm.mpi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.kernels4j.DType;
import org.kernels4j.comm.Collective;
import org.kernels4j.comm.CollectiveHeader;
import org.kernels4j.comm.ReduceOp;

/**
 * The bytes of a {@link CollectiveHeader} and the payload length that follows it, as sent between
 * ranks (native byte order: every rank of a job runs the same build on the same architecture).
 *
 * <p>Layout: magic, collective, sequence, dtype, op, count, root, payload bytes; enums travel as ordinals
 * (-1 for none). Stateless.
 */
final class WireHeader {
    static final long BYTES = 48;

    private static final int MAGIC = 0x4B344A48; // "K4JH"
    private static final long COLLECTIVE = 4;
    private static final long SEQUENCE = 8;
    private static final long DTYPE = 16;
    private static final long OP = 20;
    private static final long COUNT = 24;
    private static final long ROOT = 32;
    private static final long PAYLOAD = 40;

    /**
     * A header as received.
     *
     * @param header       the peer's call, or empty when the bytes are not a header of this build
     * @param payloadBytes the length of the payload the peer sends after it
     */
    record Received(Optional<CollectiveHeader> header, long payloadBytes) {
        String describe() {
            return header.map(CollectiveHeader::describe).orElse("an unrecognised message");
        }
    }

    private WireHeader() {
    }

    static void encode(CollectiveHeader header, long payloadBytes, MemorySegment target) {
        target.set(JAVA_INT, 0, MAGIC);
        target.set(JAVA_INT, COLLECTIVE, header.collective().ordinal());
        target.set(JAVA_LONG, SEQUENCE, header.sequence());
        target.set(JAVA_INT, DTYPE, header.dtype() == null ? -1 : header.dtype().ordinal());
        target.set(JAVA_INT, OP, header.op() == null ? -1 : header.op().ordinal());
        target.set(JAVA_LONG, COUNT, header.count());
        target.set(JAVA_INT, ROOT, header.root());
        target.set(JAVA_INT, ROOT + 4, 0);
        target.set(JAVA_LONG, PAYLOAD, payloadBytes);
    }

    static Received decode(MemorySegment source) {
        long payloadBytes = source.get(JAVA_LONG, PAYLOAD);
        if (source.get(JAVA_INT, 0) != MAGIC) {
            return new Received(Optional.empty(), payloadBytes);
        }
        int collective = source.get(JAVA_INT, COLLECTIVE);
        int dtype = source.get(JAVA_INT, DTYPE);
        int op = source.get(JAVA_INT, OP);
        if (!inRange(collective, Collective.values().length, false) || !inRange(dtype, DType.values().length, true)
                || !inRange(op, ReduceOp.values().length, true)) {
            return new Received(Optional.empty(), payloadBytes);
        }
        try {
            return new Received(Optional.of(new CollectiveHeader(Collective.values()[collective], source.get(JAVA_LONG, SEQUENCE),
                    dtype < 0 ? null : DType.values()[dtype], source.get(JAVA_LONG, COUNT),
                    op < 0 ? null : ReduceOp.values()[op], source.get(JAVA_INT, ROOT))), payloadBytes);
        } catch (IllegalArgumentException e) {
            return new Received(Optional.empty(), payloadBytes);
        }
    }

    private static boolean inRange(int ordinal, int values, boolean noneAllowed) {
        return ordinal < values && (ordinal >= 0 || noneAllowed && ordinal == -1);
    }
}
