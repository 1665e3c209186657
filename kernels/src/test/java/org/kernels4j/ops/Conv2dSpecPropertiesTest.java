package org.kernels4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The output-size formula and the validation rules over the whole space of small shapes. */
class Conv2dSpecPropertiesTest {
    /**
     * P is the number of filter positions that fit in the padded input, counted one by one; when none fits the spec
     * is refused naming the filter field. The same holds for Q with the width fields.
     */
    @Property(tries = 1000)
    void outputSizeCountsTheWindowsThatFitAndAnEmptyOutputIsRefused(
            @ForAll @IntRange(min = 1, max = 20) int size, @ForAll @IntRange(min = 1, max = 9) int taps,
            @ForAll @IntRange(min = 1, max = 4) int stride, @ForAll @IntRange(min = 1, max = 4) int dilation,
            @ForAll @IntRange(min = 0, max = 4) int before, @ForAll @IntRange(min = 0, max = 4) int after) {
        int windows = 0;
        int span = dilation * (taps - 1) + 1;
        for (int start = -before; start + span <= size + after; start += stride) {
            windows++;
        }
        Conv2dSpec.Builder tall = Conv2dSpec.builder().n(1).c(1).k(1).inputSize(size, 1).filterSize(taps, 1)
                .stride(stride, 1).dilation(dilation, 1).padding(before, after, 0, 0);
        Conv2dSpec.Builder wide = Conv2dSpec.builder().n(1).c(1).k(1).inputSize(1, size).filterSize(1, taps)
                .stride(1, stride).dilation(1, dilation).padding(0, 0, before, after);
        if (windows == 0) {
            assertTrue(assertThrows(IllegalArgumentException.class, tall::build).getMessage().startsWith("r: " + taps + " taps"));
            assertTrue(assertThrows(IllegalArgumentException.class, wide::build).getMessage().startsWith("s: " + taps + " taps"));
        } else {
            assertEquals(windows, tall.build().p());
            assertEquals(windows, wide.build().q());
        }
    }

    @Property(tries = 500)
    void groupsMustDivideBothChannelCounts(@ForAll @IntRange(min = 1, max = 24) int c, @ForAll @IntRange(min = 1, max = 24) int k,
                                           @ForAll @IntRange(min = 1, max = 24) int groups) {
        Conv2dSpec.Builder builder = Conv2dSpec.builder().n(1).c(c).k(k).groups(groups).inputSize(3, 3).filterSize(1, 1);
        if (c % groups != 0) {
            assertEquals("c: " + c + " is not divisible by groups = " + groups,
                    assertThrows(IllegalArgumentException.class, builder::build).getMessage());
        } else if (k % groups != 0) {
            assertEquals("k: " + k + " is not divisible by groups = " + groups,
                    assertThrows(IllegalArgumentException.class, builder::build).getMessage());
        } else {
            Conv2dSpec spec = builder.build();
            assertEquals(c, spec.channelsPerGroup() * spec.groups());
            assertEquals(k, spec.filtersPerGroup() * spec.groups());
            assertEquals(spec.c() == spec.k() && spec.groups() == c, spec.isDepthwise());
        }
    }
}
