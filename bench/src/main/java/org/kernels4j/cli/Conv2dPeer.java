package org.kernels4j.cli;

import org.kernels4j.Availability;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;

/**
 * Another library's convolution, timed by {@link ReportConv2d} on the same operands and threads as ours in the same
 * run (oneDNN, when the convolution bench's peer lands). Not thread-safe; closing releases its native resources.
 */
interface Conv2dPeer extends AutoCloseable {
    /** Library and routine, as the peer column shows them ("onednn convolution_forward"). */
    String name();

    /** Whether it can run {@code spec}, and if not, why. */
    Availability supports(Conv2dSpec spec);

    /** y = conv(x, w) for {@code spec} (no bias). */
    void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor y);

    @Override
    void close();
}
