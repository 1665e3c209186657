package org.kernels4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.ops.Conv2dSpec;

/**
 * The part of a convolution's shape parameters in the results that {@code k4j bench conv2d} and {@code k4j report}
 * write alike: the extents n, c, h, w, k, r, s, first and in that order; each adds its own fields after them.
 */
final class ConvShapeParameters {
    private ConvShapeParameters() {
    }

    /** A new modifiable map, in insertion order, of {@code spec}'s extents. */
    static Map<String, Object> extents(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("n", spec.n());
        parameters.put("c", spec.c());
        parameters.put("h", spec.h());
        parameters.put("w", spec.w());
        parameters.put("k", spec.k());
        parameters.put("r", spec.r());
        parameters.put("s", spec.s());
        return parameters;
    }
}
