package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvLayerSet;

/** Which ResNet-50 layers each report mode convolves, taken by name from the bench's layer set. */
class ReportPlanTest {
    @Test
    void quickAndDefaultPickTheirLayersByNameAndFullTakesTheWholeSet() {
        assertEquals(List.of("res2_branch2b", "res3_branch2a", "res4_branch2b"), layerNames(ReportPlan.forMode(true, false)));
        assertEquals(List.of("conv1", "res2_branch2b", "res3_branch2a", "res3_branch2b", "res4_branch2b", "res5_branch2b"),
                layerNames(ReportPlan.forMode(false, false)));
        assertEquals(ConvLayerSet.resnet50(), ReportPlan.forMode(false, true).conv().layers());
    }

    @Test
    void layersKeepTheSetsGeometry() {
        ConvLayer res3 = ReportPlan.forMode(true, false).conv().layers().get(1);
        assertEquals(ConvLayerSet.named(ConvLayerSet.resnet50(), "res3_branch2a").getFirst(), res3);
        assertEquals(List.of(512, 28, 28, 128, 1, 1), List.of(res3.c(), res3.h(), res3.w(), res3.k(), res3.r(), res3.s()));
    }

    private static List<String> layerNames(ReportPlan plan) {
        return plan.conv().layers().stream().map(ConvLayer::name).toList();
    }
}
