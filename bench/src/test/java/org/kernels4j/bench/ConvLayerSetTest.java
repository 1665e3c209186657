package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/** The convolution layer sets shipped with the bench module, and layer files in either form. */
class ConvLayerSetTest {
    @Test
    void resnet50HasItsTwentyThreeShapesAndFiftyThreeConvolutions() {
        List<ConvLayer> layers = ConvLayerSet.resnet50();
        assertEquals(23, layers.size());
        assertEquals(53, layers.stream().mapToInt(ConvLayer::count).sum());
        assertEquals(new ConvLayer("conv1", 3, 224, 224, 64, 7, 7, 2, 2, 3, 3, 1, 1, 1, OptionalInt.empty()), layers.getFirst());
        Conv2dSpec conv1 = layers.getFirst().spec(8, Layout.NHWC, DType.BF16);
        assertEquals(112, conv1.p());
        assertEquals(112, conv1.q());
        assertEquals(2.0 * 8 * 64 * 3 * 49 * 112 * 112, conv1.flops());
        assertEquals(DType.FP32, conv1.outputType());
        // ResNet-50's convolutions come to about 4.1 GFLOP per image (multiply-adds counted twice).
        double perImage = layers.stream().mapToDouble(l -> l.count() * l.spec(1, Layout.NCHW, DType.FP32).flops()).sum();
        assertTrue(perImage > 8.0e9 && perImage < 8.4e9, () -> "ResNet-50 conv flops per image: " + perImage);
    }

    @Test
    void deepbenchLayersCarryTheirBatchAndAsymmetricStrides() {
        List<ConvLayer> layers = ConvLayerSet.deepbench();
        assertEquals(4, layers.size());
        ConvLayer speech = ConvLayerSet.named(layers, "speech_20x5").getFirst();
        assertEquals(new ConvLayer("speech_20x5", 1, 161, 700, 32, 5, 20, 2, 2, 0, 0, 1, 1, 1, OptionalInt.of(4)), speech);
        assertEquals("1×161×700 k32 5×20 s2 p0", speech.label());
        assertEquals(OptionalInt.of(16), layers.getFirst().batch());
    }

    @Test
    void readsColumnsInAnyOrderAndSkipsComments() {
        List<ConvLayer> layers = ConvLayerSet.parse("""
                # a comment
                name,N,C,H,W,K,R,S,stride_h,stride_w,pad_h,pad_w
                tiny, 2, 4, 9, 7, 8, 3, 1, 2, 1, 1, 0
                """);
        assertEquals(List.of(new ConvLayer("tiny", 4, 9, 7, 8, 3, 1, 2, 1, 1, 0, 1, 1, 1, OptionalInt.of(2))), layers);
        assertEquals("4×9×7 k8 3×1 s2,1 p1,0", layers.getFirst().label());
    }

    @Test
    void refusesMalformedFilesNamingTheLine() {
        String header = "name,C,H,W,K,R,S,stride,pad,dilation,groups,count\n";
        assertMessage("header 'name,C,H' is neither", "name,C,H\nx,1,2\n");
        assertMessage("has 11 cells, the header 12", header + "x,1,8,8,1,1,1,1,0,1,1\n");
        assertMessage("K: 'four' is not an integer", header + "x,1,8,8,four,1,1,1,0,1,1,1\n");
        assertMessage("'x,3,8,8,4,1,1,1,0,1,2,1': ", header + "x,3,8,8,4,1,1,1,0,1,2,1\n");
        assertMessage("count: 0 is less than 1", header + "x,1,8,8,4,1,1,1,0,1,1,0\n");
        assertMessage("no layers after the header", header);
        assertMessage("no header line", "# only a comment\n");
        assertThrows(NoSuchElementException.class, () -> ConvLayerSet.named(ConvLayerSet.resnet50(), "conv2"));
    }

    private static void assertMessage(String expectedPart, String csv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvLayerSet.parse(csv));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
