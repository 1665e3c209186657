package org.kernels4j.ops;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;

/**
 * An immutable, validated 2-D convolution (cross-correlation, as in every ML framework):
 * <pre>
 * y[n, k, p, q] = bias[k] + Σ_{c &lt; C/groups, r &lt; R, s &lt; S} x[n, g·C/groups + c, p·strideH − padTop + r·dilationH,
 *                                                               q·strideW − padLeft + s·dilationW] · w[k, c, r, s]
 * </pre>
 * with g = k / (K/groups) the group of filter k, for {@code n < N}, {@code k < K}, {@code p < P}, {@code q < Q}, where
 * <pre>
 * P = ⌊(H + padTop + padBottom − dilationH·(R − 1) − 1) / strideH⌋ + 1      (Q likewise with W, S and the width fields)
 * </pre>
 * Input positions outside the image are padding: zeros that take part in the products (so an infinite or NaN weight
 * that meets padding gives NaN, as 0·∞ does in an explicitly padded input or an im2col matrix). groups = C = K is a
 * depthwise convolution.
 *
 * <p>Tensors are contiguous (row-major, no padding) and laid out as {@link Layout} says: x {@code [N, C, H, W]} or
 * {@code [N, H, W, C]}, w {@code [K, C/groups, R, S]} or {@code [K, R, S, C/groups]}, y {@code [N, K, P, Q]} or
 * {@code [N, P, Q, K]}; bias, when the spec has one, is {@code [K]}.
 *
 * <p>Dtypes (input → output), as for GEMM: FP32 → FP32; FP16 → FP32 or FP16; BF16 → FP32 or BF16 (FP32 accumulate);
 * INT8 → INT32 (INT32 accumulate, wrapping modulo 2^32) or INT8 → FP32 (exact INT32 accumulate, then converted).
 * The bias has the accumulator's type ({@link #biasType()}: FP32 for floating inputs, INT32 for INT8 — the
 * convention of quantized inference) and joins the sum before the single rounding to the output type.
 *
 * <p>Validation checks sizes, strides, dilations, padding, groups, the filter against the padded input, then the
 * dtypes, and fails with an {@link IllegalArgumentException} naming the field and its value.
 */
public final class Conv2dSpec {
    private final long n;
    private final long c;
    private final long h;
    private final long w;
    private final long k;
    private final long r;
    private final long s;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padBottom;
    private final int padLeft;
    private final int padRight;
    private final int dilationH;
    private final int dilationW;
    private final long groups;
    private final boolean bias;
    private final Layout layout;
    private final DType inputType;
    private final DType outputType;
    private final long p;
    private final long q;

    private Conv2dSpec(Builder b) {
        this.n = b.n;
        this.c = b.c;
        this.h = b.h;
        this.w = b.w;
        this.k = b.k;
        this.r = b.r;
        this.s = b.s;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padTop = b.padTop;
        this.padBottom = b.padBottom;
        this.padLeft = b.padLeft;
        this.padRight = b.padRight;
        this.dilationH = b.dilationH;
        this.dilationW = b.dilationW;
        this.groups = b.groups;
        this.bias = b.bias;
        this.layout = b.layout;
        this.inputType = b.inputType;
        this.outputType = b.outputType;
        validateFields();
        this.p = outputSize("r", r, dilationH, h, "h", padTop, "padTop", padBottom, "padBottom", strideH);
        this.q = outputSize("s", s, dilationW, w, "w", padLeft, "padLeft", padRight, "padRight", strideW);
        validateSizesAndTypes();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with N, C, H, W from {@code x}, K, R, S from {@code w}, groups = C / (w's channels) and the input
     * dtype from both, laid out as {@code layout}; stride, padding, dilation, bias and output dtype keep their defaults.
     */
    public static Builder builderFor(Layout layout, Tensor x, Tensor w) {
        Objects.requireNonNull(layout, "layout");
        requireRank4("x", x);
        requireRank4("w", w);
        if (x.dtype() != w.dtype()) {
            throw new IllegalArgumentException("w.dtype: " + w.dtype() + " differs from x.dtype " + x.dtype());
        }
        int channelAxis = layout.channelAxis();
        int heightAxis = layout.heightAxis();
        long channels = x.dim(channelAxis);
        long perGroup = w.dim(channelAxis);
        if (perGroup <= 0 || channels % perGroup != 0) {
            throw new IllegalArgumentException("w.shape: " + Arrays.toString(w.shape()) + " has " + perGroup
                    + " channels per filter, which does not divide x's " + channels + " channels");
        }
        return builder().layout(layout).n(x.dim(0)).c(channels).h(x.dim(heightAxis)).w(x.dim(heightAxis + 1))
                .k(w.dim(0)).r(w.dim(heightAxis)).s(w.dim(heightAxis + 1)).groups(channels / perGroup)
                .inputType(x.dtype());
    }

    /** Batch size N. */
    public long n() {
        return n;
    }

    /** Input channels C. */
    public long c() {
        return c;
    }

    /** Input height H. */
    public long h() {
        return h;
    }

    /** Input width W. */
    public long w() {
        return w;
    }

    /** Output channels (filters) K. */
    public long k() {
        return k;
    }

    /** Filter height R. */
    public long r() {
        return r;
    }

    /** Filter width S. */
    public long s() {
        return s;
    }

    public int strideH() {
        return strideH;
    }

    public int strideW() {
        return strideW;
    }

    public int padTop() {
        return padTop;
    }

    public int padBottom() {
        return padBottom;
    }

    public int padLeft() {
        return padLeft;
    }

    public int padRight() {
        return padRight;
    }

    public int dilationH() {
        return dilationH;
    }

    public int dilationW() {
        return dilationW;
    }

    public long groups() {
        return groups;
    }

    public boolean hasBias() {
        return bias;
    }

    public Layout layout() {
        return layout;
    }

    public DType inputType() {
        return inputType;
    }

    public DType outputType() {
        return outputType;
    }

    /** The bias dtype: the accumulator's, FP32 for floating inputs and INT32 for INT8. */
    public DType biasType() {
        return biasTypeFor(inputType);
    }

    /** Output height P. */
    public long p() {
        return p;
    }

    /** Output width Q. */
    public long q() {
        return q;
    }

    /** Input channels each filter sees, C / groups. */
    public long channelsPerGroup() {
        return c / groups;
    }

    /** Filters per group, K / groups. */
    public long filtersPerGroup() {
        return k / groups;
    }

    /** Terms in each output element's sum: C/groups · R · S (the k of the error bound). */
    public long reductionLength() {
        return channelsPerGroup() * r * s;
    }

    /** One filter per channel: groups = C = K. */
    public boolean isDepthwise() {
        return groups == c && groups == k;
    }

    /** Floating-point (or integer) operations: 2·N·K·(C/groups)·R·S·P·Q. */
    public double flops() {
        return 2.0 * n * k * reductionLength() * p * q;
    }

    public long[] xShape() {
        return layout.activationShape(n, c, h, w);
    }

    public long[] wShape() {
        return layout.filterShape(k, channelsPerGroup(), r, s);
    }

    public long[] biasShape() {
        return new long[] {k};
    }

    public long[] yShape() {
        return layout.activationShape(n, k, p, q);
    }

    public Builder toBuilder() {
        return builder().n(n).c(c).h(h).w(w).k(k).r(r).s(s).stride(strideH, strideW)
                .padding(padTop, padBottom, padLeft, padRight).dilation(dilationH, dilationW).groups(groups).bias(bias)
                .layout(layout).inputType(inputType).outputType(outputType);
    }

    /** The bias dtype for convolutions on {@code inputType}: INT32 for INT8, FP32 otherwise. */
    public static DType biasTypeFor(DType inputType) {
        return inputType == DType.INT8 ? DType.INT32 : DType.FP32;
    }

    /** The output dtype used when none is given: INT32 for INT8 inputs, FP32 otherwise. */
    public static DType defaultOutputType(DType inputType) {
        return OutputTypes.defaultFor(inputType);
    }

    /**
     * Checks that the tensors are the ones this spec describes: shape, dtype and contiguity of x, w and y, and a bias
     * of shape [K] exactly when the spec has one ({@code bias} is null otherwise); y must not overlap an input. Names
     * the tensor, the field and the expected and actual values.
     */
    public void checkOperands(Tensor x, Tensor w, Tensor bias, Tensor y) {
        checkInputs(x, w, bias);
        checkOperand("y", y, yShape(), outputType);
        requireDisjoint(y, x, "x");
        requireDisjoint(y, w, "w");
        if (bias != null) {
            requireDisjoint(y, bias, "bias");
        }
    }

    /** The checks of {@link #checkOperands} on x, w and bias alone. */
    public void checkInputs(Tensor x, Tensor w, Tensor bias) {
        checkOperand("x", x, xShape(), inputType);
        checkOperand("w", w, wShape(), inputType);
        if (this.bias) {
            if (bias == null) {
                throw new IllegalArgumentException("bias: null, but the spec has a bias (a " + biasType() + " tensor [" + k + "])");
            }
            checkOperand("bias", bias, biasShape(), biasType());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias: " + bias + " given, but the spec has no bias (build it with bias(true))");
        }
    }

    private static void checkOperand(String name, Tensor t, long[] shape, DType dtype) {
        Objects.requireNonNull(t, name);
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + ".dtype: " + t.dtype() + " but the spec needs " + dtype);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(name + ".shape: " + Arrays.toString(t.shape()) + " but the spec needs "
                    + Arrays.toString(shape));
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(name + ".strides: " + Arrays.toString(t.strides())
                    + " but conv2d needs a contiguous tensor");
        }
    }

    private static void requireDisjoint(Tensor y, Tensor input, String name) {
        if (bytes(y).asOverlappingSlice(bytes(input)).isPresent()) {
            throw new IllegalArgumentException("y: overlaps " + name + " in memory (conv2d does not run in place)");
        }
    }

    private static MemorySegment bytes(Tensor t) {
        return t.segment().asSlice(0, t.elementCount() * t.dtype().byteSize());
    }

    private static void requireRank4(String name, Tensor t) {
        Objects.requireNonNull(t, name);
        if (t.rank() != 4) {
            throw new IllegalArgumentException(name + ".rank: " + t.rank() + " but conv2d needs rank 4 ("
                    + Arrays.toString(t.shape()) + ")");
        }
    }

    private void validateFields() {
        requirePositive("n", n);
        requirePositive("c", c);
        requirePositive("h", h);
        requirePositive("w", w);
        requirePositive("k", k);
        requirePositive("r", r);
        requirePositive("s", s);
        requirePositive("strideH", strideH);
        requirePositive("strideW", strideW);
        requireNonNegative("padTop", padTop);
        requireNonNegative("padBottom", padBottom);
        requireNonNegative("padLeft", padLeft);
        requireNonNegative("padRight", padRight);
        requirePositive("dilationH", dilationH);
        requirePositive("dilationW", dilationW);
        requirePositive("groups", groups);
        if (c % groups != 0) {
            throw new IllegalArgumentException("c: " + c + " is not divisible by groups = " + groups);
        }
        if (k % groups != 0) {
            throw new IllegalArgumentException("k: " + k + " is not divisible by groups = " + groups);
        }
        Objects.requireNonNull(layout, "layout");
    }

    private void validateSizesAndTypes() {
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        OutputTypes.check(inputType, outputType);
        requireAddressable("x", xShape());
        requireAddressable("w", wShape());
        requireAddressable("y", yShape());
    }

    /**
     * ⌊(size + before + after − span) / stride⌋ + 1 with span = dilation·(taps − 1) + 1; fails when the filter's span
     * exceeds the padded input, which would leave the output empty.
     */
    private static long outputSize(String tapsField, long taps, int dilation, long size, String sizeField, int before,
                                   String beforeField, int after, String afterField, int stride) {
        long padded = size + before + after;
        long span;
        try {
            span = Math.addExact(Math.multiplyExact(dilation, taps - 1), 1);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(tapsField + ": " + taps + " with dilation " + dilation + " overflows a long");
        }
        if (span > padded) {
            throw new IllegalArgumentException(tapsField + ": " + taps + " taps with dilation " + dilation + " span " + span
                    + ", more than the padded input's " + padded + " (" + sizeField + " " + size + " + " + beforeField + " "
                    + before + " + " + afterField + " " + after + "): the output would be empty");
        }
        return (padded - span) / stride + 1;
    }

    private static void requireAddressable(String name, long[] shape) {
        long elements = 1;
        for (long d : shape) {
            if (elements > Long.MAX_VALUE / 4 / d) {
                throw new IllegalArgumentException(name + ".shape: " + Arrays.toString(shape) + " has too many elements to address");
            }
            elements *= d;
        }
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " is not positive");
        }
    }

    private static void requireNonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + ": " + value + " is negative");
        }
    }

    @Override
    public String toString() {
        return "Conv2dSpec[" + layout + " n=" + n + " c=" + c + " h=" + h + " w=" + w + " k=" + k + " r=" + r + " s=" + s
                + " stride=" + strideH + "," + strideW + " pad=" + padTop + "," + padBottom + "," + padLeft + "," + padRight
                + " dilation=" + dilationH + "," + dilationW + " groups=" + groups + (bias ? " bias" : "") + " "
                + inputType + "→" + outputType + " p=" + p + " q=" + q + "]";
    }

    /**
     * Mutable builder; {@link #build()} validates. Defaults: stride 1, no padding, dilation 1, groups 1, no bias,
     * NCHW, FP32 input, and the output dtype of {@link #defaultOutputType}. Sizes have no default.
     */
    public static final class Builder {
        private long n;
        private long c;
        private long h;
        private long w;
        private long k;
        private long r;
        private long s;
        private int strideH = 1;
        private int strideW = 1;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private int dilationH = 1;
        private int dilationW = 1;
        private long groups = 1;
        private boolean bias;
        private Layout layout = Layout.NCHW;
        private DType inputType = DType.FP32;
        private DType outputType;

        private Builder() {
        }

        public Builder n(long value) {
            n = value;
            return this;
        }

        public Builder c(long value) {
            c = value;
            return this;
        }

        public Builder h(long value) {
            h = value;
            return this;
        }

        public Builder w(long value) {
            w = value;
            return this;
        }

        public Builder k(long value) {
            k = value;
            return this;
        }

        public Builder r(long value) {
            r = value;
            return this;
        }

        public Builder s(long value) {
            s = value;
            return this;
        }

        /** Input height and width. */
        public Builder inputSize(long height, long width) {
            return h(height).w(width);
        }

        /** Filter height R and width S. */
        public Builder filterSize(long height, long width) {
            return r(height).s(width);
        }

        /** The same stride in both directions. */
        public Builder stride(int value) {
            return stride(value, value);
        }

        public Builder stride(int height, int width) {
            strideH = height;
            strideW = width;
            return this;
        }

        /** The same padding on all four sides. */
        public Builder padding(int value) {
            return padding(value, value, value, value);
        }

        /** {@code vertical} rows above and below, {@code horizontal} columns left and right. */
        public Builder padding(int vertical, int horizontal) {
            return padding(vertical, vertical, horizontal, horizontal);
        }

        public Builder padding(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            return this;
        }

        /** The same dilation in both directions. */
        public Builder dilation(int value) {
            return dilation(value, value);
        }

        public Builder dilation(int height, int width) {
            dilationH = height;
            dilationW = width;
            return this;
        }

        public Builder groups(long value) {
            groups = value;
            return this;
        }

        public Builder bias(boolean value) {
            bias = value;
            return this;
        }

        public Builder layout(Layout value) {
            layout = value;
            return this;
        }

        public Builder inputType(DType value) {
            inputType = value;
            return this;
        }

        /** The output dtype; null (the default) means {@link #defaultOutputType} of the input dtype. */
        public Builder outputType(DType value) {
            outputType = value;
            return this;
        }

        public Conv2dSpec build() {
            DType chosenOutput = outputType;
            if (chosenOutput == null && inputType != null) {
                outputType = defaultOutputType(inputType);
            }
            try {
                return new Conv2dSpec(this);
            } finally {
                outputType = chosenOutput;
            }
        }
    }
}
