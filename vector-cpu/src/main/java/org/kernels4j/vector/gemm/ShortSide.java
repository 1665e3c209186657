package org.kernels4j.vector.gemm;

import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * A GEMM as the paths that skip packing see it: a short side x of {@code s} lines (rows of op(A) when m is the short
 * side, else columns of op(B)) and a long side M of {@code lines} lines, each line {@code k} long;
 * y[i][j] = Σ_p x_i[p]·M_j[p] is C's row i, column j when m is the short side, and its transpose otherwise.
 *
 * @param rows       whether m is the short side
 * @param shortLines x, as an operand view
 * @param longLines  M, as an operand view
 */
record ShortSide(boolean rows, OperandView shortLines, OperandView longLines, int s, int lines, int k) {
    /** Most lines of a short side. */
    static final int MAX_LINES = 64;

    /** Whether m is the short side: at most {@value #MAX_LINES}, and no longer than n when n is that short too. */
    static boolean rows(GemmSpec spec) {
        return spec.m() <= MAX_LINES && (spec.m() <= spec.n() || spec.n() > MAX_LINES);
    }

    /** Whether {@code spec} has a short side: m or n at most {@value #MAX_LINES}. */
    static boolean present(GemmSpec spec) {
        return rows(spec) || spec.n() <= MAX_LINES;
    }

    /** Whether M's lines run along the reduction in memory (B transposed for a short m, A not for a short n). */
    static boolean longLinesAlongDepth(GemmSpec spec) {
        return rows(spec) ? spec.transB() : !spec.transA();
    }

    static ShortSide of(GemmSpec spec, Tensor a, Tensor b) {
        boolean rows = rows(spec);
        return new ShortSide(rows, rows ? OperandView.left(spec, a) : OperandView.right(spec, b),
                rows ? OperandView.right(spec, b) : OperandView.left(spec, a), Math.toIntExact(rows ? spec.m() : spec.n()),
                Math.toIntExact(rows ? spec.n() : spec.m()), Math.toIntExact(spec.k()));
    }
}
