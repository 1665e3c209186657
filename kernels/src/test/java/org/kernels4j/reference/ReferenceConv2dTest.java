package org.kernels4j.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * The convolution oracle against hand-computed results and against itself under transformations that must not change
 * the result: the other layout, explicit zero padding, stride as subsampling, dilation as a filter with zeros between
 * its taps, groups as separate convolutions.
 */
class ReferenceConv2dTest {
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void computesAHandWorkedExample() {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]]: y[p,q] = x[p,q] − x[p+1,q+1] (+ bias).
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] w = {1, 0, 0, -1};
        Conv2dSpec plain = Conv2dSpec.builder().n(1).c(1).k(1).inputSize(3, 3).filterSize(2, 2).bias(true).build();
        assertArrayEquals(new double[] {-3.5, -3.5, -3.5, -3.5}, conv(plain, x, w, new double[] {0.5}));
        // Padding 1 and stride 2 on the 5×5 padded input: windows start at rows and columns −1 and 1.
        Conv2dSpec padded = plain.toBuilder().padding(1).stride(2).bias(false).build();
        assertArrayEquals(new double[] {-1, -3, -7, -4}, conv(padded, x, w, null));
    }

    @Test
    void bothLayoutsGiveTheSameResults() {
        Conv2dSpec nchw = Conv2dSpec.builder().n(2).c(6).k(4).groups(2).inputSize(7, 9).filterSize(3, 2).stride(2, 1)
                .padding(1, 0, 2, 1).dilation(2, 1).bias(true).build();
        Conv2dSpec nhwc = nchw.toBuilder().layout(Layout.NHWC).build();
        double[] x = randoms(nchw.xShape());
        double[] w = randoms(nchw.wShape());
        double[] bias = randoms(nchw.biasShape());
        double[] expected = conv(nchw, x, w, bias);
        double[] transposed = conv(nhwc, toChannelsLast(x, nchw.xShape()), toChannelsLast(w, nchw.wShape()), bias);
        assertArrayEquals(toChannelsLast(expected, nchw.yShape()), transposed);
    }

    @Test
    void paddingIsAnInputBorderOfZeros() {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(3).inputSize(4, 5).filterSize(3, 3).padding(2, 1, 0, 3).build();
        double[] x = randoms(spec.xShape());
        double[] w = randoms(spec.wShape());
        double[] bordered = new double[2 * 7 * 8];
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 4; h++) {
                for (int col = 0; col < 5; col++) {
                    bordered[(c * 7 + h + 2) * 8 + col] = x[(c * 4 + h) * 5 + col];
                }
            }
        }
        Conv2dSpec unpadded = spec.toBuilder().inputSize(7, 8).padding(0).build();
        assertArrayEquals(conv(unpadded, bordered, w, null), conv(spec, x, w, null));
    }

    @Test
    void strideSubsamplesTheUnitStrideResult() {
        Conv2dSpec unit = Conv2dSpec.builder().n(1).c(3).k(2).inputSize(11, 13).filterSize(3, 2).padding(1).build();
        Conv2dSpec strided = unit.toBuilder().stride(2, 3).build();
        double[] x = randoms(unit.xShape());
        double[] w = randoms(unit.wShape());
        double[] full = conv(unit, x, w, null);
        double[] sub = conv(strided, x, w, null);
        int p = (int) strided.p();
        int q = (int) strided.q();
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < q; j++) {
                    assertEquals(full[(int) ((k * unit.p() + 2L * i) * unit.q() + 3L * j)], sub[(k * p + i) * q + j]);
                }
            }
        }
    }

    @Test
    void dilationIsAFilterWithZerosBetweenItsTaps() {
        Conv2dSpec dilated = Conv2dSpec.builder().n(1).c(2).k(2).inputSize(9, 10).filterSize(2, 3).dilation(2, 3).padding(1).build();
        double[] x = randoms(dilated.xShape());
        double[] w = randoms(dilated.wShape());
        double[] spread = new double[2 * 2 * 3 * 7];
        for (int kc = 0; kc < 4; kc++) {
            for (int r = 0; r < 2; r++) {
                for (int s = 0; s < 3; s++) {
                    spread[(kc * 3 + 2 * r) * 7 + 3 * s] = w[(kc * 2 + r) * 3 + s];
                }
            }
        }
        Conv2dSpec undilated = dilated.toBuilder().filterSize(3, 7).dilation(1).build();
        assertArrayEquals(conv(undilated, x, spread, null), conv(dilated, x, w, null));
    }

    @Test
    void groupsAreSeparateConvolutionsOnTheirChannels() {
        Conv2dSpec grouped = Conv2dSpec.builder().n(1).c(4).k(6).groups(2).inputSize(5, 5).filterSize(3, 3).padding(1).build();
        Conv2dSpec single = grouped.toBuilder().c(2).k(3).groups(1).build();
        double[] x = randoms(grouped.xShape());
        double[] w = randoms(grouped.wShape());
        double[] y = conv(grouped, x, w, null);
        int xHalf = x.length / 2;
        int wHalf = w.length / 2;
        int yHalf = y.length / 2;
        for (int g = 0; g < 2; g++) {
            double[] part = conv(single, java.util.Arrays.copyOfRange(x, g * xHalf, (g + 1) * xHalf),
                    java.util.Arrays.copyOfRange(w, g * wHalf, (g + 1) * wHalf), null);
            assertArrayEquals(part, java.util.Arrays.copyOfRange(y, g * yHalf, (g + 1) * yHalf), "group " + g);
        }
    }

    @Test
    void int8SumsAndTheInt32BiasWrapTogether() {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(1).inputSize(1, 1).filterSize(1, 1).inputType(DType.INT8).bias(true).build();
        try (Tensor x = Tensor.fromBytes(new byte[] {-128, 3}, spec.xShape()); Tensor w = Tensor.fromBytes(new byte[] {-128, 1}, spec.wShape());
             Tensor bias = Tensor.fromInts(new int[] {Integer.MAX_VALUE}, 1); Tensor y = Tensor.allocate(DType.INT32, spec.yShape())) {
            new ReferenceBackend().conv2d(spec, x, w, bias, y);
            assertEquals(Integer.MAX_VALUE + 16384 + 3, y.toIntArray()[0]);
        }
    }

    @Test
    void paddingZerosTimesAnInfiniteWeightGiveNaN() {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(1).k(1).inputSize(3, 3).filterSize(3, 3).padding(1).build();
        double[] w = new double[9];
        w[0] = Double.POSITIVE_INFINITY;
        double[] y = conv(spec, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, w, null);
        assertTrue(Double.isNaN(y[0]), "the top-left tap of y[0,0] meets padding: " + y[0]);
        assertEquals(Double.POSITIVE_INFINITY, y[4], "the top-left tap of y[1,1] meets x[0,0] = 1");
    }

    @Test
    void narrowOutputsAreRoundedOnceAfterTheBias() {
        // 1 + 2^-11 + 2^-11 = 1 + 2^-10 is an FP16 value; rounding 1 + 2^-11 first would give 1 (a tie to even), then 1 again.
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(1).inputSize(1, 1).filterSize(1, 1).inputType(DType.FP16)
                .outputType(DType.FP16).bias(true).build();
        try (Tensor x = Tensor.fromFloats(DType.FP16, new float[] {1, 0x1p-11f}, spec.xShape());
             Tensor w = Tensor.fromFloats(DType.FP16, new float[] {1, 1}, spec.wShape());
             Tensor bias = Tensor.fromFloats(DType.FP32, new float[] {0x1p-11f}, 1); Tensor y = Tensor.allocate(DType.FP16, spec.yShape())) {
            new ReferenceBackend().conv2d(spec, x, w, bias, y);
            assertEquals(1 + 0x1p-10, y.toDoubleArray()[0]);
        }
    }

    @Test
    void reportsMagnitudesWithAndWithoutTheBias() {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(1).inputSize(1, 1).filterSize(1, 1).bias(true).build();
        try (Tensor x = Tensor.fromFloats(DType.FP32, new float[] {2, -3}, spec.xShape());
             Tensor w = Tensor.fromFloats(DType.FP32, new float[] {1, 1}, spec.wShape());
             Tensor bias = Tensor.fromFloats(DType.FP32, new float[] {-4}, 1)) {
            ReferenceConv2d.Result result = ReferenceConv2d.compute(spec, x, w, bias);
            assertArrayEquals(new double[] {-5}, result.values());
            assertArrayEquals(new double[] {9}, result.magnitudes());
            assertArrayEquals(new double[] {5}, result.productSums());
        }
    }

    private double[] randoms(long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    /** The unrounded reference values for FP32 data. */
    private static double[] conv(Conv2dSpec spec, double[] x, double[] w, double[] bias) {
        try (Tensor xt = fp32(x, spec.xShape()); Tensor wt = fp32(w, spec.wShape());
             Tensor bt = bias == null ? null : fp32(bias, spec.biasShape())) {
            return ReferenceConv2d.compute(spec, xt, wt, bt).values();
        }
    }

    private static Tensor fp32(double[] values, long[] shape) {
        Tensor t = Tensor.allocate(DType.FP32, shape);
        for (int i = 0; i < values.length; i++) {
            DType.FP32.write(t.segment(), i, values[i]);
        }
        return t;
    }

    /** [A, B, C, D] → [A, C, D, B]: NCHW activations to NHWC, or NCHW weights to NHWC. */
    private static double[] toChannelsLast(double[] values, long[] shape) {
        int a = (int) shape[0];
        int b = (int) shape[1];
        int c = (int) shape[2];
        int d = (int) shape[3];
        double[] out = new double[values.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    for (int l = 0; l < d; l++) {
                        out[((i * c + k) * d + l) * b + j] = values[((i * b + j) * c + k) * d + l];
                    }
                }
            }
        }
        return out;
    }
}
