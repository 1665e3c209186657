package org.kernels4j.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.kernels4j.ops.Conv2dSpec;

/**
 * How the results describe a convolution, shared by {@code k4j bench conv2d}, {@code k4j report} and the JMH rows so
 * that rows of the same convolution line up: its extents, the report's shape of a layer, and its least traffic.
 */
public final class ConvShapes {
    private ConvShapes() {
    }

    /** A new modifiable map, in insertion order, of {@code spec}'s extents n, c, h, w, k, r, s; callers add their own fields. */
    public static Map<String, Object> extents(Conv2dSpec spec) {
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

    /**
     * The report's shape of layer {@code layerName}: "res2_branch2b, N=1", since layer names are unique in the table; the
     * parameters carry the whole geometry.
     */
    public static Shape layer(String layerName, Conv2dSpec spec) {
        Fields.text("layerName", layerName);
        Map<String, Object> parameters = extents(spec);
        parameters.put("stride", spec.strideH());
        parameters.put("pad", spec.padTop());
        parameters.put("dilation", spec.dilationH());
        parameters.put("groups", spec.groups());
        parameters.put("layout", spec.layout().cliName());
        return new Shape(layerName, layerName + ", N=" + spec.n(), parameters);
    }

    /** Least traffic of one call in bytes: x and w read once, y written once. */
    public static double leastTraffic(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return (double) (product(spec.xShape()) + product(spec.wShape())) * spec.inputType().byteSize()
                + (double) product(spec.yShape()) * spec.outputType().byteSize();
    }

    private static long product(long[] shape) {
        long product = 1;
        for (long extent : shape) {
            product *= extent;
        }
        return product;
    }
}
