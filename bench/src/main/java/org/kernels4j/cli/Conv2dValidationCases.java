package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Fill;

/**
 * The convolutions {@code k4j validate --op conv2d} runs per input dtype: each shape in both layouts, with the fill,
 * bias and output variants rotated over them. Shapes cover what an optimized backend treats apart — 1×1 (plain and
 * strided), 3×3 with padding, a 7×7 stride-2 stem, depthwise, grouped, dilated, unequal strides with asymmetric
 * padding, a 1×1 output and (full run only) a ResNet-like 64-channel layer; variants cover random, exact small-integer
 * and edge fills (±Inf, NaN, subnormals, extremes, INT8 −128), bias on and off, and the second output dtype each input
 * allows (FP16→FP16, BF16→BF16, INT8→FP32).
 */
final class Conv2dValidationCases {
    private static final long SEED = 20_250_505L;

    private static final List<Conv2dSpec.Builder> QUICK_SHAPES = List.of(
            Conv2dSpec.builder().n(1).c(33).k(17).inputSize(9, 11).filterSize(1, 1),
            Conv2dSpec.builder().n(2).c(16).k(24).inputSize(13, 12).filterSize(3, 3).padding(1),
            Conv2dSpec.builder().n(1).c(24).k(24).groups(24).inputSize(14, 15).filterSize(3, 3).stride(2).padding(1),
            Conv2dSpec.builder().n(3).c(10).k(7).inputSize(5, 5).filterSize(5, 5));
    private static final List<Conv2dSpec.Builder> MORE_SHAPES = List.of(
            Conv2dSpec.builder().n(1).c(3).k(8).inputSize(23, 21).filterSize(7, 7).stride(2).padding(3),
            Conv2dSpec.builder().n(1).c(12).k(8).groups(4).inputSize(9, 9).filterSize(3, 3).padding(1, 0, 2, 1),
            Conv2dSpec.builder().n(1).c(8).k(8).inputSize(15, 15).filterSize(3, 3).dilation(2).padding(2),
            Conv2dSpec.builder().n(2).c(20).k(12).inputSize(9, 10).filterSize(1, 1).stride(2),
            Conv2dSpec.builder().n(1).c(6).k(5).inputSize(13, 17).filterSize(5, 3).stride(2, 3).padding(2, 1, 0, 1),
            Conv2dSpec.builder().n(1).c(64).k(64).inputSize(28, 28).filterSize(3, 3).padding(1));

    /** fill, bias, and whether the output is the input's second dtype. */
    private record Variant(Fill fill, boolean bias, boolean alternateOutput) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant(Fill.RANDOM, true, false),
            new Variant(Fill.SMALL_INTEGERS, false, true),
            new Variant(Fill.EDGES, true, false),
            new Variant(Fill.RANDOM, false, true),
            new Variant(Fill.SMALL_INTEGERS, true, false));

    private Conv2dValidationCases() {
    }

    static List<Conv2dCase> forDtype(DType input, boolean quick) {
        Objects.requireNonNull(input, "input");
        List<Conv2dSpec.Builder> shapes = new ArrayList<>(QUICK_SHAPES);
        if (!quick) {
            shapes.addAll(MORE_SHAPES);
        }
        List<Conv2dCase> cases = new ArrayList<>();
        int index = 0;
        for (Conv2dSpec.Builder shape : shapes) {
            for (Layout layout : Layout.values()) {
                Variant variant = VARIANTS.get(index % VARIANTS.size());
                DType output = variant.alternateOutput() ? alternateOutput(input) : Conv2dSpec.defaultOutputType(input);
                Conv2dSpec spec = shape.build().toBuilder().layout(layout).bias(variant.bias()).inputType(input).outputType(output).build();
                cases.add(new Conv2dCase(spec, variant.fill(), SEED + index));
                index++;
            }
        }
        return cases;
    }

    private static DType alternateOutput(DType input) {
        return switch (input) {
            case FP16 -> DType.FP16;
            case BF16 -> DType.BF16;
            case INT8 -> DType.FP32;
            default -> Conv2dSpec.defaultOutputType(input);
        };
    }
}
