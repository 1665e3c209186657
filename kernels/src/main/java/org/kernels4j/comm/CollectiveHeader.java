package org.kernels4j.comm;

import java.util.Objects;
import org.kernels4j.DType;

/**
 * What a rank believes the current collective is. It travels with every message so that a receiver can
 * tell at once when its peer called a different collective, count, dtype, op or root, instead of
 * reducing garbage (an MPI transport sends it as a small prefix of the first message).
 *
 * <p>Immutable and thread-safe.
 *
 * @param collective the call
 * @param sequence   how many collectives this rank started before this one (equal on all ranks)
 * @param dtype      element type; null for a barrier
 * @param count      elements per rank as the call defines them (the input of all-gather, the output of
 *                   reduce-scatter, the buffer otherwise); 0 for a barrier
 * @param op         reduction; null for collectives that do not reduce
 * @param root       root rank; -1 for collectives without a root
 */
public record CollectiveHeader(Collective collective, long sequence, DType dtype, long count, ReduceOp op, int root) {
    public CollectiveHeader {
        Objects.requireNonNull(collective, "collective");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " is negative");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " is negative");
        }
        if (root < -1) {
            throw new IllegalArgumentException("root: " + root + " is less than -1");
        }
    }

    /** For example {@code allReduce #3 (count 10, FP32, SUM)} or {@code broadcast #0 (count 4, BF16, root 2)}. */
    public String describe() {
        StringBuilder s = new StringBuilder(collective.methodName()).append(" #").append(sequence);
        if (dtype != null) {
            s.append(" (count ").append(count).append(", ").append(dtype);
            if (op != null) {
                s.append(", ").append(op);
            }
            if (root >= 0) {
                s.append(", root ").append(root);
            }
            s.append(')');
        }
        return s.toString();
    }
}
