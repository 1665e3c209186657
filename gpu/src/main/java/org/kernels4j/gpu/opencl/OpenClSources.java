package org.kernels4j.gpu.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The OpenCL C sources from native/opencl, which the native jar carries as class-path resources. */
public final class OpenClSources {
    /** Class-path folder of the .cl files. */
    public static final String RESOURCE_FOLDER = "/org/kernels4j/gpu/opencl/";
    /** The elementwise reductions of {@link org.kernels4j.gpu.ElementwiseReduce}. */
    public static final String ELEMENTWISE_REDUCE = "elementwise_reduce.cl";

    private OpenClSources() {
    }

    /**
     * The text of one kernel family's source.
     *
     * @param fileName a file of native/opencl, e.g. {@link #ELEMENTWISE_REDUCE}
     * @throws IllegalArgumentException when this build has no such file
     */
    public static String read(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        if (!fileName.endsWith(".cl") || fileName.contains("/")) {
            throw new IllegalArgumentException("fileName: '" + fileName + "' is not a plain .cl file name");
        }
        try (InputStream in = OpenClSources.class.getResourceAsStream(RESOURCE_FOLDER + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("fileName: no " + RESOURCE_FOLDER + fileName + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_FOLDER + fileName, e);
        }
    }
}
