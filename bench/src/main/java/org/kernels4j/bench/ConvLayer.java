package org.kernels4j.bench;

import java.util.Objects;
import java.util.OptionalInt;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/**
 * A named convolution layer of a benchmark set: its geometry without batch, layout or dtype, which the benchmark
 * chooses. The geometry is checked when the layer is made (a {@link Conv2dSpec} of batch 1 must be valid).
 *
 * @param name     its name in the set ("res2_branch2b")
 * @param c        input channels
 * @param h        input height
 * @param w        input width
 * @param k        output channels
 * @param r        filter height
 * @param s        filter width
 * @param strideH  vertical stride
 * @param strideW  horizontal stride
 * @param padH     padding above and below
 * @param padW     padding left and right
 * @param dilation dilation in both directions
 * @param groups   channel groups
 * @param count    how often the layer occurs in its network (weights the set's total), at least 1
 * @param batch    the batch the set prescribes (DeepBench does; ResNet-50's set does not)
 */
public record ConvLayer(String name, int c, int h, int w, int k, int r, int s, int strideH, int strideW, int padH, int padW,
                        int dilation, int groups, int count, OptionalInt batch) {
    public ConvLayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(batch, "batch");
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " is less than 1");
        }
        if (batch.isPresent() && batch.getAsInt() < 1) {
            throw new IllegalArgumentException("batch: " + batch.getAsInt() + " is less than 1");
        }
        spec(c, h, w, k, r, s, strideH, strideW, padH, padW, dilation, groups, 1, Layout.NCHW, DType.FP32);
    }

    /** The layer as a convolution of {@code n} images in {@code layout}, with {@code input}'s default output dtype, no bias. */
    public Conv2dSpec spec(long n, Layout layout, DType input) {
        return spec(c, h, w, k, r, s, strideH, strideW, padH, padW, dilation, groups, n, layout, input);
    }

    // Static so that the compact constructor can validate the geometry before the fields are assigned.
    private static Conv2dSpec spec(int c, int h, int w, int k, int r, int s, int strideH, int strideW, int padH,
                                   int padW, int dilation, int groups, long n, Layout layout, DType input) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(input, "input");
        return Conv2dSpec.builder().n(n).c(c).h(h).w(w).k(k).r(r).s(s).stride(strideH, strideW).padding(padH, padW)
                .dilation(dilation).groups(groups).layout(layout).inputType(input).build();
    }

    /** "64×56×56 k64 3×3 s1 p1" (and " g32", " d2" where they apply). */
    public String label() {
        return c + "×" + h + "×" + w + " k" + k + " " + r + "×" + s
                + " s" + (strideH == strideW ? String.valueOf(strideH) : strideH + "," + strideW)
                + " p" + (padH == padW ? String.valueOf(padH) : padH + "," + padW)
                + (dilation == 1 ? "" : " d" + dilation) + (groups == 1 ? "" : " g" + groups);
    }
}
