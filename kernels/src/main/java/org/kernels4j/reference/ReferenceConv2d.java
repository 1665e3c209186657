package org.kernels4j.reference;

import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * The convolution oracle: the direct sum of {@link Conv2dSpec}'s definition, term by term, accumulating floating
 * inputs in double and INT8 inputs exactly in long (then wrapped to INT32, which equals INT32 accumulation with wrap).
 * Padding positions are zeros that are multiplied like any input (0·∞ = NaN). Also returns, per element, the
 * magnitude {@code Σ|x·w| + |bias|} that error bounds scale with, and Σ|x·w| alone, which tells whether an FP32
 * accumulator may legitimately overflow.
 */
public final class ReferenceConv2d {
    private ReferenceConv2d() {
    }

    /**
     * Results in y's element order (contiguous, as the spec's layout orders y).
     *
     * @param values      the sum plus bias, before rounding to the output dtype (INT8: wrapped to INT32)
     * @param magnitudes  Σ|x·w| + |bias| per element
     * @param productSums Σ|x·w| per element
     */
    public record Result(double[] values, double[] magnitudes, double[] productSums) {
    }

    /** Computes every output element; {@code bias} is null exactly when the spec has none. */
    public static Result compute(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias) {
        spec.checkInputs(x, w, bias);
        int count = Math.toIntExact(Math.multiplyExact(Math.multiplyExact(spec.n(), spec.k()), Math.multiplyExact(spec.p(), spec.q())));
        double[] values = new double[count];
        double[] magnitudes = new double[count];
        double[] productSums = new double[count];
        // Every dtype's values are exact in double, so reading them all first changes nothing but the speed.
        double[] xs = x.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double[] biases = bias == null ? new double[Math.toIntExact(spec.k())] : bias.toDoubleArray();
        Indexing index = new Indexing(spec);
        boolean integer = spec.inputType() == DType.INT8;
        for (long n = 0; n < spec.n(); n++) {
            for (long k = 0; k < spec.k(); k++) {
                double biasValue = biases[(int) k];
                for (long p = 0; p < spec.p(); p++) {
                    for (long q = 0; q < spec.q(); q++) {
                        Sum sum = sum(spec, index, xs, ws, n, k, p, q);
                        int e = (int) index.y(n, k, p, q);
                        values[e] = integer ? (int) (sum.exact + (long) biasValue) : sum.value + biasValue;
                        productSums[e] = sum.magnitude;
                        magnitudes[e] = sum.magnitude + Math.abs(biasValue);
                    }
                }
            }
        }
        return new Result(values, magnitudes, productSums);
    }

    /** One output element's sum: in double (floating inputs) or exactly (INT8), and Σ|x·w|. */
    private record Sum(double value, long exact, double magnitude) {
    }

    private static Sum sum(Conv2dSpec spec, Indexing index, double[] x, double[] w, long n, long k, long p, long q) {
        long group = k / spec.filtersPerGroup();
        double value = 0;
        long exact = 0;
        double magnitude = 0;
        for (long c = 0; c < spec.channelsPerGroup(); c++) {
            long channel = group * spec.channelsPerGroup() + c;
            for (long r = 0; r < spec.r(); r++) {
                long row = p * spec.strideH() - spec.padTop() + r * spec.dilationH();
                for (long s = 0; s < spec.s(); s++) {
                    long column = q * spec.strideW() - spec.padLeft() + s * spec.dilationW();
                    boolean inside = row >= 0 && row < spec.h() && column >= 0 && column < spec.w();
                    double xv = inside ? x[(int) index.x(n, channel, row, column)] : 0;
                    double wv = w[(int) index.w(k, c, r, s)];
                    double product = xv * wv;
                    value += product;
                    exact += (long) xv * (long) wv;
                    magnitude += Math.abs(product);
                }
            }
        }
        return new Sum(value, exact, magnitude);
    }

    /** Element indices of contiguous x, w and y in the spec's layout. */
    private record Indexing(Conv2dSpec spec) {
        long x(long n, long c, long h, long w) {
            return activation(n, c, h, w, spec.c(), spec.h(), spec.w());
        }

        long y(long n, long k, long p, long q) {
            return activation(n, k, p, q, spec.k(), spec.p(), spec.q());
        }

        long w(long k, long c, long r, long s) {
            long channels = spec.channelsPerGroup();
            return spec.layout() == Layout.NCHW
                    ? ((k * channels + c) * spec.r() + r) * spec.s() + s
                    : ((k * spec.r() + r) * spec.s() + s) * channels + c;
        }

        private long activation(long n, long c, long h, long w, long channels, long height, long width) {
            return spec.layout() == Layout.NCHW
                    ? ((n * channels + c) * height + h) * width + w
                    : ((n * height + h) * width + w) * channels + c;
        }
    }
}
