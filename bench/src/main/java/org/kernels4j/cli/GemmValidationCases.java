package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.validate.Fill;
import org.kernels4j.validate.GemmCase;

/**
 * The cases {@code k4j validate} runs per input dtype: every shape with all four transposes, and the
 * scalar/fill/padding/output variants rotated over them, so that each variant meets several shapes and
 * transposes without running the full cross product.
 *
 * <p>Shapes cover single elements, odd sizes that are not multiples of any vector length (7, 17, 33,
 * 127, 257) and (full run only) zero m, n and k and a problem large enough to cross the cache blocking
 * of an optimized kernel (k = 520 &gt; 512). Variants cover alpha ∈ {1, 0.7, 0, -1}, beta ∈ {0, 1,
 * 1.3} (integers for INT32 output, where alpha and beta must be integers), leading dimensions with
 * rogue padding, random, small-integer (exact) and edge fills (±Inf, NaN, subnormals, extremes, INT8
 * −128), and the second output dtype each input allows (FP16→FP16, BF16→BF16, INT8→FP32). Edge fills
 * run with |alpha| = 1 only: with |alpha| &lt; 1 two extreme products can overflow the FP32 accumulator
 * while the scaled result is finite, which the checker's bound does not allow for.
 */
final class GemmValidationCases {
    private static final long SEED = 20_240_601L;

    private static final List<int[]> QUICK_SHAPES = List.of(
            new int[] {1, 7, 33}, new int[] {17, 33, 7}, new int[] {33, 17, 127}, new int[] {129, 2, 65}, new int[] {64, 64, 64});
    private static final List<int[]> FULL_SHAPES = List.of(
            new int[] {1, 1, 1}, new int[] {7, 1, 17}, new int[] {1, 7, 33}, new int[] {17, 33, 7}, new int[] {33, 17, 127},
            new int[] {64, 64, 64}, new int[] {127, 33, 257}, new int[] {257, 127, 65}, new int[] {0, 7, 5},
            new int[] {7, 0, 5}, new int[] {7, 5, 0}, new int[] {257, 263, 520});

    /** alpha, beta (used as given for floating output; the integer pair for INT32 output), fill, padding, alternate output. */
    private record Variant(float alpha, float beta, int integerAlpha, int integerBeta, Fill fill, boolean padded,
                           boolean alternateOutput) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant(1, 0, 1, 0, Fill.RANDOM, false, false),
            new Variant(0.7f, 1.3f, 2, 3, Fill.RANDOM, true, true),
            new Variant(1, 1, 1, 1, Fill.SMALL_INTEGERS, true, false),
            new Variant(1, 0, 1, 0, Fill.EDGES, false, true),
            new Variant(0, 1.3f, 0, 3, Fill.RANDOM, false, false),
            new Variant(-1, 0, -1, 0, Fill.SMALL_INTEGERS, false, true),
            new Variant(-1, 1.3f, -1, 3, Fill.EDGES, true, false));

    private GemmValidationCases() {
    }

    static List<GemmCase> forDtype(DType input, boolean quick) {
        Objects.requireNonNull(input, "input");
        List<GemmCase> cases = new ArrayList<>();
        int index = 0;
        for (int[] shape : quick ? QUICK_SHAPES : FULL_SHAPES) {
            for (int transposes = 0; transposes < 4; transposes++) {
                Variant variant = VARIANTS.get(index % VARIANTS.size());
                cases.add(new GemmCase(spec(input, shape, (transposes & 2) != 0, (transposes & 1) != 0, variant), variant.fill(),
                        SEED + index));
                index++;
            }
        }
        return cases;
    }

    private static GemmSpec spec(DType input, int[] shape, boolean transA, boolean transB, Variant variant) {
        DType output = variant.alternateOutput() ? alternateOutput(input) : GemmSpec.defaultOutputType(input);
        boolean integerOutput = output == DType.INT32;
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        int pad = variant.padded() ? 3 : 0;
        return GemmSpec.builder().m(m).n(n).k(k).transA(transA).transB(transB)
                .alpha(integerOutput ? variant.integerAlpha() : variant.alpha())
                .beta(integerOutput ? variant.integerBeta() : variant.beta())
                .lda(Math.max(1, transA ? m : k) + pad).ldb(Math.max(1, transB ? k : n) + pad).ldc(Math.max(1, n) + pad)
                .inputType(input).outputType(output).build();
    }

    private static DType alternateOutput(DType input) {
        return switch (input) {
            case FP16 -> DType.FP16;
            case BF16 -> DType.BF16;
            case INT8 -> DType.FP32;
            default -> GemmSpec.defaultOutputType(input);
        };
    }
}
