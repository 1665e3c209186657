package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * A GEMM input as the packer sees it, transposes folded into strides: element (x, p) — x a row of op(A) or a
 * column of op(B), p the position along the reduction — lies at element index
 * {@code origin + x·lineStride + p·depthStride}.
 */
record OperandView(MemorySegment segment, long origin, long lineStride, long depthStride) {
    /** op(A): x = row i (0..m), p = column (0..k). */
    static OperandView left(GemmSpec spec, Tensor a) {
        return spec.transA() ? new OperandView(a.segment(), 0, 1, spec.lda()) : new OperandView(a.segment(), 0, spec.lda(), 1);
    }

    /** op(B): x = column j (0..n), p = row (0..k). */
    static OperandView right(GemmSpec spec, Tensor b) {
        return spec.transB() ? new OperandView(b.segment(), 0, spec.ldb(), 1) : new OperandView(b.segment(), 0, 1, spec.ldb());
    }

    /** The same operand without its first {@code lines} lines. */
    OperandView fromLine(long lines) {
        return new OperandView(segment, origin + lines * lineStride, lineStride, depthStride);
    }

    long index(long x, long p) {
        return origin + x * lineStride + p * depthStride;
    }
}
