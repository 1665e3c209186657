package org.kernels4j.bench;

import java.util.Objects;

/**
 * A named GEMM benchmark problem: the shape and whether A and B are stored transposed.
 *
 * @param name   its name in a shape set ("square_512", "llm_decode_m8"), "" when it has none
 * @param shape  m×n×k
 * @param transA op(A) = Aᵀ
 * @param transB op(B) = Bᵀ
 */
public record GemmProblem(String name, GemmShape shape, boolean transA, boolean transB) {
    public GemmProblem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
    }

    /** An unnamed, untransposed problem. */
    public static GemmProblem of(GemmShape shape) {
        return new GemmProblem("", shape, false, false);
    }

    /** "512×512×512", or "8×4096×4096 NT" when an operand is transposed. */
    public String label() {
        return shape + (transA || transB ? " " + (transA ? "T" : "N") + (transB ? "T" : "N") : "");
    }
}
