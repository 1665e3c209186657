package org.kernels4j.validate;

import java.util.Locale;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.ops.Conv2dSpec;

/** One differential convolution test case: the spec, how x, w and the bias are filled, and the seed. */
public record Conv2dCase(Conv2dSpec spec, Fill fill, long seed) implements CheckCase {
    public Conv2dCase {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(fill, "fill");
    }

    /** Short human-readable label for tables: "BF16→FP32 NHWC 3×6×13×7 k4 3×5 s2,1 p1,0,2,3 d1,2 g2 bias". */
    @Override
    public String label() {
        Conv2dSpec s = spec;
        return s.inputType() + "→" + s.outputType() + " " + s.layout() + " " + s.n() + "×" + s.c() + "×" + s.h() + "×" + s.w()
                + " k" + s.k() + " " + s.r() + "×" + s.s() + " s" + s.strideH() + "," + s.strideW()
                + " p" + s.padTop() + "," + s.padBottom() + "," + s.padLeft() + "," + s.padRight()
                + " d" + s.dilationH() + "," + s.dilationW() + " g" + s.groups() + (s.hasBias() ? " bias" : "");
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
        return label() + " " + fill.name().toLowerCase(Locale.ROOT) + " seed " + seed;
    }
}
