package org.kernels4j;

import java.util.Locale;
import java.util.Objects;

/**
 * How a convolution's 4-D tensors order their dimensions in memory (row-major, last dimension contiguous).
 * With N images, C channels, H×W pixels, K filters of R×S taps over C/groups channels:
 * <ul>
 *   <li>{@link #NCHW}: activations {@code [N, C, H, W]}, weights {@code [K, C/groups, R, S]} (PyTorch's default);</li>
 *   <li>{@link #NHWC}: activations {@code [N, H, W, C]}, weights {@code [K, R, S, C/groups]} (channels last).</li>
 * </ul>
 */
public enum Layout {
    NCHW,
    NHWC;

    /** The shape of an activation tensor (input or output) of {@code n} images, {@code c} channels, {@code h}×{@code w} pixels. */
    public long[] activationShape(long n, long c, long h, long w) {
        return this == NCHW ? new long[] {n, c, h, w} : new long[] {n, h, w, c};
    }

    /** The shape of a weight tensor of {@code k} filters of {@code channels} channels and {@code r}×{@code s} taps. */
    public long[] filterShape(long k, long channels, long r, long s) {
        return this == NCHW ? new long[] {k, channels, r, s} : new long[] {k, r, s, channels};
    }

    /** The axis of the channel dimension, in activation and weight tensors alike (1 for NCHW, 3 for NHWC). */
    public int channelAxis() {
        return this == NCHW ? 1 : 3;
    }

    /** The axis of the height (activations) or filter height R (weights) (2 for NCHW, 1 for NHWC); the width follows it. */
    public int heightAxis() {
        return this == NCHW ? 2 : 1;
    }

    /** Lower-case name as used on the command line (nchw, nhwc). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name, ignoring case; fails naming the value and the accepted names. */
    public static Layout fromCliName(String name) {
        Objects.requireNonNull(name, "name");
        for (Layout layout : values()) {
            if (layout.cliName().equalsIgnoreCase(name)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("layout: unknown value '" + name + "' (expected nchw or nhwc)");
    }
}
