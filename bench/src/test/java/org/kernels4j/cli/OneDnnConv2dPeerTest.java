package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.bench.ConvOperands;
import org.kernels4j.bench.GemmTimer;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.testing.Requirements;

/** oneDNN behind the report's and the bench's conv2d peer interface: a rate where it runs the dtype, a short note where not. */
class OneDnnConv2dPeerTest {
    private static final GemmTimer ONE_RUN = new GemmTimer(1, Duration.ZERO, Duration.ZERO, 1);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void timesFp32AndNotesTheDtypesOneDnnIsNotComparedIn() {
        try (OneDnnPeer library = OneDnnPeer.open(1)) {
            Requirements.assumeAvailable(OneDnnPeer.NAME, library.availability());
            Conv2dPeer peer = new OneDnnConv2dPeer(library);

            Conv2dPeer.Outcome fp32 = time(peer, DType.FP32);
            assertTrue(fp32.result() != null && fp32.result().name().startsWith(OneDnnPeer.NAME + " ") && fp32.result().median() > 0,
                    fp32::toString);
            assertEquals("", fp32.note());

            Conv2dPeer.Outcome int8 = time(peer, DType.INT8);
            assertNull(int8.result());
            assertTrue(int8.note().startsWith("no peer: oneDNN is compared in ") && int8.note().contains("fp32")
                    && int8.note().endsWith(" only on this CPU"),
                    int8::note);
        }
    }

    private static Conv2dPeer.Outcome time(Conv2dPeer peer, DType input) {
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(8).h(6).w(6).k(8).r(3).s(3).padding(1).layout(Layout.NHWC).inputType(input).build();
        try (ConvOperands operands = ConvOperands.create(spec, 5)) {
            return peer.time(spec, operands, ONE_RUN);
        }
    }
}
