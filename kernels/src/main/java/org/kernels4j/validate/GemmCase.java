package org.kernels4j.validate;

import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;

/**
 * One differential test case: the spec (whose leading dimensions may exceed the minimum, leaving
 * padding), how A and B are filled, and the seed. C is filled with NaN when beta = 0 (it must not be
 * read) and randomly otherwise.
 */
public record GemmCase(GemmSpec spec, Fill fill, long seed) implements CheckCase {
    public GemmCase {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(fill, "fill");
    }

    /** Short human-readable label for tables: "FP16→FP32 m×n×k NT α=0.7 β=1.3 ld+". */
    @Override
    public String label() {
        boolean padded = spec.lda() > Math.max(1, spec.aCols()) || spec.ldb() > Math.max(1, spec.bCols())
                || spec.ldc() > Math.max(1, spec.n());
        return spec.inputType() + "→" + spec.outputType() + " " + spec.m() + "×" + spec.n() + "×" + spec.k()
                + " " + (spec.transA() ? "T" : "N") + (spec.transB() ? "T" : "N")
                + " α=" + trim(spec.alpha()) + " β=" + trim(spec.beta()) + (padded ? " ld+" : "");
    }

    @Override
    public DType inputType() {
        return spec.inputType();
    }

    @Override
    public DType outputType() {
        return spec.outputType();
    }

    @Override
    public String toString() {
        return label() + " " + fill.name().toLowerCase(java.util.Locale.ROOT) + " seed " + seed;
    }

    private static String trim(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
