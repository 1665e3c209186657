package org.kernels4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrawnPlotsTest {
    private static final Plot PLOT = new Plot("a.png", "A", "", new byte[] {1});

    @Test
    void keepsThePlotsThatWereDrawn() {
        DrawnPlots drawn = DrawnPlots.draw(() -> List.of(PLOT));
        assertEquals(List.of(PLOT), drawn.plots());
        assertEquals(Optional.empty(), drawn.failure());
    }

    @Test
    void aRuntimeWithoutTheDesktopModuleGivesTheReasonInsteadOfFailing() {
        DrawnPlots drawn = DrawnPlots.draw(() -> {
            throw new NoClassDefFoundError("java/awt/Color");
        });
        assertTrue(drawn.plots().isEmpty());
        assertEquals("the plots could not be drawn: java.lang.NoClassDefFoundError: java/awt/Color", drawn.failure().orElseThrow());
    }
}
