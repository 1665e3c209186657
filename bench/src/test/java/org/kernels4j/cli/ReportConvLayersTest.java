package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/** The ResNet-50 layer table the report times: every layer, and the specs built from it. */
class ReportConvLayersTest {
    @Test
    void readsEveryLayerOfTheTable() {
        List<ReportConvLayers.Layer> layers = ReportConvLayers.all();
        assertEquals(23, layers.size());
        assertEquals("conv1", layers.getFirst().name());
        assertEquals("res5_branch2b", layers.getLast().name());
    }

    @Test
    void buildsTheLayersSpecAtABatchAndLayout() {
        Conv2dSpec conv1 = ReportConvLayers.named("conv1").getFirst().spec(2, Layout.NHWC, DType.BF16);
        assertEquals(List.of(2L, 3L, 224L, 224L, 64L, 7L, 7L), List.of(conv1.n(), conv1.c(), conv1.h(), conv1.w(), conv1.k(), conv1.r(), conv1.s()));
        assertEquals(List.of(2, 3, 112L, 112L), List.of(conv1.strideH(), conv1.padTop(), conv1.p(), conv1.q()));
        assertEquals(List.of(Layout.NHWC, DType.BF16), List.of(conv1.layout(), conv1.inputType()));
        assertEquals(2.0 * 2 * 64 * 3 * 7 * 7 * 112 * 112, conv1.flops());
    }

    @Test
    void refusesUnknownNamesAndMalformedLines() {
        assertThrows(NoSuchElementException.class, () -> ReportConvLayers.named("res9"));
        assertThrows(IllegalArgumentException.class, () -> ReportConvLayers.parse("name,C\nconv,3\n"));
    }
}
