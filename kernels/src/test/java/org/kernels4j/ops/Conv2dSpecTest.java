package org.kernels4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.Tensor;

class Conv2dSpecTest {
    /** N=2, C=6, 9×8 input, K=4 filters of 3×3, groups 2. */
    private static Conv2dSpec.Builder valid() {
        return Conv2dSpec.builder().n(2).c(6).inputSize(9, 8).k(4).filterSize(3, 3).groups(2);
    }

    @Test
    void defaultsFollowTheDtypeTable() {
        Conv2dSpec spec = valid().build();
        assertEquals(Layout.NCHW, spec.layout());
        assertEquals(DType.FP32, spec.inputType());
        assertEquals(DType.FP32, spec.outputType());
        assertEquals(DType.FP32, spec.biasType());
        assertFalse(spec.hasBias());
        assertEquals(1, spec.strideH());
        assertEquals(1, spec.dilationW());
        assertEquals(0, spec.padLeft());
        assertEquals(DType.FP32, valid().inputType(DType.BF16).build().outputType());
        Conv2dSpec int8 = valid().inputType(DType.INT8).build();
        assertEquals(DType.INT32, int8.outputType());
        assertEquals(DType.INT32, int8.biasType());
        assertEquals(DType.FP16, valid().inputType(DType.FP16).outputType(DType.FP16).build().outputType());
        assertEquals(DType.FP32, valid().inputType(DType.INT8).outputType(DType.FP32).build().outputType());
    }

    @Test
    void aBuilderWithoutAnOutputTypeFollowsItsInputType() {
        Conv2dSpec.Builder builder = valid().inputType(DType.INT8);
        assertEquals(DType.INT32, builder.build().outputType());
        assertEquals(DType.FP32, builder.inputType(DType.FP16).build().outputType());
    }

    static Stream<Arguments> outputSizes() {
        // h, r, stride, dilation, top, bottom → p
        return Stream.of(
                Arguments.of(224, 7, 2, 1, 3, 3, 112),   // ResNet-50 conv1
                Arguments.of(56, 3, 1, 1, 1, 1, 56),     // same padding
                Arguments.of(56, 1, 2, 1, 0, 0, 28),     // 1×1 downsampling
                Arguments.of(7, 3, 1, 2, 0, 0, 3),       // dilation 2: span 5
                Arguments.of(13, 7, 3, 1, 0, 2, 3),      // (13 + 2 − 7) / 3 + 1
                Arguments.of(1, 1, 3, 1, 0, 0, 1),
                Arguments.of(1, 3, 1, 1, 1, 1, 1),       // output 1×1 from a 1×1 input
                Arguments.of(7, 7, 1, 1, 0, 0, 1),
                Arguments.of(3, 7, 1, 1, 3, 1, 1),       // padding makes room for the filter
                Arguments.of(10, 3, 3, 3, 0, 1, 2));     // span 7 in 11
    }

    @ParameterizedTest(name = "h={0} r={1} stride={2} dilation={3} pad={4},{5} → {6}")
    @MethodSource("outputSizes")
    void outputSizeFollowsTheFormulaInBothDirections(int h, int r, int stride, int dilation, int top, int bottom, int expected) {
        Conv2dSpec tall = valid().groups(1).inputSize(h, 5).filterSize(r, 1).stride(stride, 1).dilation(dilation, 1)
                .padding(top, bottom, 0, 0).build();
        assertEquals(expected, tall.p());
        assertEquals(5, tall.q());
        Conv2dSpec wide = valid().groups(1).inputSize(5, h).filterSize(1, r).stride(1, stride).dilation(1, dilation)
                .padding(0, 0, top, bottom).build();
        assertEquals(5, wide.p());
        assertEquals(expected, wide.q());
    }

    @Test
    void shapesFollowTheLayout() {
        Conv2dSpec nchw = valid().bias(true).padding(1).build();
        assertArrayEquals(new long[] {2, 6, 9, 8}, nchw.xShape());
        assertArrayEquals(new long[] {4, 3, 3, 3}, nchw.wShape());
        assertArrayEquals(new long[] {4}, nchw.biasShape());
        assertArrayEquals(new long[] {2, 4, 9, 8}, nchw.yShape());
        Conv2dSpec nhwc = nchw.toBuilder().layout(Layout.NHWC).build();
        assertArrayEquals(new long[] {2, 9, 8, 6}, nhwc.xShape());
        assertArrayEquals(new long[] {4, 3, 3, 3}, nhwc.wShape());
        assertArrayEquals(new long[] {2, 9, 8, 4}, nhwc.yShape());
        Conv2dSpec oblong = valid().groups(1).filterSize(2, 5).layout(Layout.NHWC).build();
        assertArrayEquals(new long[] {4, 2, 5, 6}, oblong.wShape());
    }

    @Test
    void derivedQuantities() {
        Conv2dSpec spec = valid().build();
        assertEquals(3, spec.channelsPerGroup());
        assertEquals(2, spec.filtersPerGroup());
        assertEquals(27, spec.reductionLength());
        assertEquals(7, spec.p());
        assertEquals(6, spec.q());
        assertEquals(2.0 * 2 * 4 * 27 * 7 * 6, spec.flops());
        assertFalse(spec.isDepthwise());
        assertTrue(valid().c(4).groups(4).build().isDepthwise());
        assertFalse(valid().c(4).k(8).groups(4).build().isDepthwise(), "a channel multiplier of 2 is grouped, not depthwise");
    }

    @Test
    void toBuilderKeepsEveryField() {
        Conv2dSpec spec = valid().stride(2, 3).padding(1, 2, 3, 0).dilation(2, 1).bias(true).layout(Layout.NHWC)
                .inputType(DType.BF16).outputType(DType.BF16).build();
        assertEquals(spec.toString(), spec.toBuilder().build().toString());
        assertEquals("Conv2dSpec[NHWC n=2 c=6 h=9 w=8 k=4 r=3 s=3 stride=2,3 pad=1,2,3,0 dilation=2,1 groups=2 bias BF16→BF16 p=4 q=3]",
                spec.toString());
    }

    @Test
    void infersTheSpecFromTensors() {
        try (Tensor x = Tensor.allocate(DType.FP16, 3, 10, 11, 12); Tensor w = Tensor.allocate(DType.FP16, 9, 3, 3, 4)) {
            Conv2dSpec spec = Conv2dSpec.builderFor(Layout.NHWC, x, w).padding(1).build();
            assertEquals(3, spec.n());
            assertEquals(12, spec.c());
            assertEquals(10, spec.h());
            assertEquals(11, spec.w());
            assertEquals(9, spec.k());
            assertEquals(3, spec.r());
            assertEquals(3, spec.s());
            assertEquals(3, spec.groups());
            assertEquals(DType.FP16, spec.inputType());
        }
        try (Tensor x = Tensor.allocate(DType.INT8, 1, 4, 5, 6); Tensor w = Tensor.allocate(DType.INT8, 7, 4, 1, 2)) {
            Conv2dSpec spec = Conv2dSpec.builderFor(Layout.NCHW, x, w).build();
            assertArrayEquals(new long[] {1, 7, 5, 5}, spec.yShape());
            assertEquals(1, spec.groups());
            assertEquals(DType.INT32, spec.outputType());
        }
    }

    @Test
    void refusesTensorsThatDescribeNoConvolution() {
        try (Tensor x = Tensor.allocate(DType.FP32, 1, 6, 5, 5); Tensor w = Tensor.allocate(DType.FP32, 2, 4, 1, 1);
             Tensor w16 = Tensor.allocate(DType.FP16, 2, 3, 1, 1); Tensor matrix = Tensor.allocate(DType.FP32, 6, 5)) {
            assertMessage("w.shape: [2, 4, 1, 1] has 4 channels per filter, which does not divide x's 6 channels",
                    () -> Conv2dSpec.builderFor(Layout.NCHW, x, w));
            assertMessage("w.dtype: FP16 differs from x.dtype FP32", () -> Conv2dSpec.builderFor(Layout.NCHW, x, w16));
            assertMessage("x.rank: 2 but conv2d needs rank 4 ([6, 5])", () -> Conv2dSpec.builderFor(Layout.NCHW, matrix, w));
        }
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                invalid("n: 0 is not positive", b -> b.n(0)),
                invalid("c: -6 is not positive", b -> b.c(-6)),
                invalid("h: 0 is not positive", b -> b.h(0)),
                invalid("w: -1 is not positive", b -> b.w(-1)),
                invalid("k: 0 is not positive", b -> b.k(0)),
                invalid("r: 0 is not positive", b -> b.r(0)),
                invalid("s: -3 is not positive", b -> b.s(-3)),
                invalid("strideH: 0 is not positive", b -> b.stride(0, 1)),
                invalid("strideW: -2 is not positive", b -> b.stride(1, -2)),
                invalid("padTop: -1 is negative", b -> b.padding(-1, 0, 0, 0)),
                invalid("padBottom: -1 is negative", b -> b.padding(0, -1, 0, 0)),
                invalid("padLeft: -2 is negative", b -> b.padding(0, -2)),
                invalid("padRight: -1 is negative", b -> b.padding(0, 0, 0, -1)),
                invalid("dilationH: 0 is not positive", b -> b.dilation(0)),
                invalid("dilationW: -1 is not positive", b -> b.dilation(1, -1)),
                invalid("groups: 0 is not positive", b -> b.groups(0)),
                invalid("c: 6 is not divisible by groups = 4", b -> b.groups(4).k(8)),
                invalid("k: 5 is not divisible by groups = 2", b -> b.k(5)),
                invalid("r: 3 taps with dilation 5 span 11, more than the padded input's 10 (h 9 + padTop 1 + padBottom 0):"
                        + " the output would be empty", b -> b.dilation(5, 1).padding(1, 0, 0, 0)),
                invalid("s: 9 taps with dilation 1 span 9, more than the padded input's 8 (w 8 + padLeft 0 + padRight 0):"
                        + " the output would be empty", b -> b.s(9)),
                invalid("outputType: FP16 is not supported for inputType FP32 (" + OutputTypes.PAIRS + ")",
                        b -> b.outputType(DType.FP16)),
                invalid("outputType: FP32 is not supported for inputType INT32 (" + OutputTypes.PAIRS + ")",
                        b -> b.inputType(DType.INT32)),
                invalid("outputType: BF16 is not supported for inputType FP16 (" + OutputTypes.PAIRS + ")",
                        b -> b.inputType(DType.FP16).outputType(DType.BF16)),
                invalid("outputType: FP16 is not supported for inputType INT8 (" + OutputTypes.PAIRS + ")",
                        b -> b.inputType(DType.INT8).outputType(DType.FP16)),
                invalid("x.shape: [4294967296, 6, 4294967296, 8] has too many elements to address",
                        b -> b.n(1L << 32).h(1L << 32)));
    }

    private static Arguments invalid(String message, UnaryOperator<Conv2dSpec.Builder> change) {
        return Arguments.of(message, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void namesTheInvalidFieldAndValue(String message, UnaryOperator<Conv2dSpec.Builder> change) {
        assertMessage(message, () -> change.apply(valid()).build());
    }

    @Test
    void reportsTheFirstInvalidFieldInDeclarationOrder() {
        assertMessage("n: 0 is not positive", () -> valid().n(0).c(0).stride(0).build());
        assertMessage("strideH: 0 is not positive", () -> valid().stride(0).padding(-1).build());
        assertThrows(NullPointerException.class, () -> valid().layout(null).build());
        assertThrows(NullPointerException.class, () -> valid().inputType(null).build());
    }

    @Test
    void acceptsMatchingOperands() {
        Conv2dSpec spec = valid().bias(true).inputType(DType.INT8).layout(Layout.NHWC).build();
        try (Tensor x = Tensor.allocate(DType.INT8, spec.xShape()); Tensor w = Tensor.allocate(DType.INT8, spec.wShape());
             Tensor bias = Tensor.allocate(DType.INT32, spec.biasShape()); Tensor y = Tensor.allocate(DType.INT32, spec.yShape())) {
            spec.checkOperands(x, w, bias, y);
        }
    }

    @Test
    void checkOperandsNamesTheTensorAndTheExpectedAndActualValues() {
        Conv2dSpec spec = valid().bias(true).build();
        Conv2dSpec noBias = valid().build();
        try (Tensor x = Tensor.allocate(DType.FP32, spec.xShape()); Tensor w = Tensor.allocate(DType.FP32, spec.wShape());
             Tensor bias = Tensor.allocate(DType.FP32, spec.biasShape()); Tensor y = Tensor.allocate(DType.FP32, spec.yShape());
             Tensor wrongShape = Tensor.allocate(DType.FP32, 2, 6, 8, 9); Tensor x16 = Tensor.allocate(DType.FP16, spec.xShape());
             Tensor intBias = Tensor.allocate(DType.INT32, 4); Tensor longBias = Tensor.allocate(DType.FP32, 5);
             Tensor big = Tensor.allocate(DType.FP32, 2 * 4 * 7 * 7);
             Tensor strided = Tensor.wrap(big.segment(), DType.FP32, spec.yShape(), new long[] {196, 49, 7, 1});
             Tensor aliased = Tensor.wrap(x.segment(), DType.FP32, spec.yShape(), new long[] {168, 42, 6, 1})) {
            assertMessage("x.shape: [2, 6, 8, 9] but the spec needs [2, 6, 9, 8]", () -> spec.checkOperands(wrongShape, w, bias, y));
            assertMessage("x.dtype: FP16 but the spec needs FP32", () -> spec.checkOperands(x16, w, bias, y));
            assertMessage("w.shape: [2, 6, 8, 9] but the spec needs [4, 3, 3, 3]", () -> spec.checkOperands(x, wrongShape, bias, y));
            assertMessage("bias.dtype: INT32 but the spec needs FP32", () -> spec.checkOperands(x, w, intBias, y));
            assertMessage("bias.shape: [5] but the spec needs [4]", () -> spec.checkOperands(x, w, longBias, y));
            assertMessage("bias: null, but the spec has a bias (a FP32 tensor [4])", () -> spec.checkOperands(x, w, null, y));
            String extra = assertThrows(IllegalArgumentException.class, () -> noBias.checkOperands(x, w, bias, y)).getMessage();
            assertTrue(extra.startsWith("bias: Tensor[FP32 [4]") && extra.endsWith("given, but the spec has no bias (build it with bias(true))"),
                    extra);
            assertMessage("y.shape: [2, 6, 9, 8] but the spec needs [2, 4, 7, 6]", () -> spec.checkOperands(x, w, bias, x));
            assertMessage("y.strides: [196, 49, 7, 1] but conv2d needs a contiguous tensor", () -> spec.checkOperands(x, w, bias, strided));
            assertMessage("y: overlaps x in memory (conv2d does not run in place)", () -> spec.checkOperands(x, w, bias, aliased));
            assertThrows(NullPointerException.class, () -> spec.checkOperands(x, null, bias, y));
            noBias.checkOperands(x, w, null, y);
        }
    }

    @Test
    void layoutNamesParseIgnoringCase() {
        assertEquals(Layout.NHWC, Layout.fromCliName("NHWC"));
        assertEquals(Layout.NCHW, Layout.fromCliName("nchw"));
        assertMessage("layout: unknown value 'chwn' (expected nchw or nhwc)", () -> Layout.fromCliName("chwn"));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
