package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line: a bar, the step count, the time left, the current step; nothing when nobody watches. */
class ProgressTest {
    @Test
    void showsTheBarTheCountAndTheTimeLeft() {
        assertEquals("[····················] 1/4  vector-cpu fp32", Progress.line(0, 4, 0, "vector-cpu fp32"));
        // One step in 10 s: three more take about 30 s.
        assertEquals("[#####···············] 2/4  30s left  opencl fp16", Progress.line(1, 4, 10_000_000_000L, "opencl fp16"));
        assertEquals("[##########··········] 101/200  3m05s left  x", Progress.line(100, 200, 185_000_000_000L, "x"));
    }

    @Test
    void formatsDurations() {
        assertEquals("59s", Progress.duration(59.4));
        assertEquals("1m00s", Progress.duration(60));
        assertEquals("1h02m", Progress.duration(3725));
    }

    @Test
    void printsNothingWhenNobodyWatches() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false, 2);
        progress.step("a");
        progress.step("b");
        progress.finish();
        assertEquals(0, err.size());
    }
}
