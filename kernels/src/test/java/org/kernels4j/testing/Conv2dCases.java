package org.kernels4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.validate.Conv2dCase;
import org.kernels4j.validate.Fill;

/** Differential convolution cases built from a few shapes, for backends' path-specific tests. */
public final class Conv2dCases {
    private Conv2dCases() {
    }

    /**
     * Every shape × (input, output) dtype pair × layout, seeds consecutive from {@code firstSeed}; every third case is
     * filled with small integers, whose sums are exact in every dtype, the others with random values.
     */
    public static List<Conv2dCase> everyPairAndLayout(List<Conv2dSpec.Builder> shapes, DType[][] pairs, long firstSeed) {
        List<Conv2dCase> cases = new ArrayList<>();
        long seed = firstSeed;
        for (Conv2dSpec.Builder shape : shapes) {
            for (DType[] pair : pairs) {
                for (Layout layout : Layout.values()) {
                    Fill fill = seed % 3 == 0 ? Fill.SMALL_INTEGERS : Fill.RANDOM;
                    cases.add(new Conv2dCase(shape.layout(layout).inputType(pair[0]).outputType(pair[1]).build(), fill, seed++));
                }
            }
        }
        return cases;
    }
}
