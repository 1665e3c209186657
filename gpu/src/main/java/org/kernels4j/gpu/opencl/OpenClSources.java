package org.kernels4j.gpu.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.kernels4j.DType;

/** The OpenCL C sources from native/opencl, which the native jar carries as class-path resources. */
public final class OpenClSources {
    /** Class-path folder of the .cl files. */
    public static final String RESOURCE_FOLDER = "/org/kernels4j/gpu/opencl/";
    /** The BF16 conversions the other families use; goes first in a program. */
    public static final String BFLOAT16 = "bfloat16.cl";
    /** The elementwise reductions of {@link org.kernels4j.gpu.ElementwiseReduce}; needs {@link #BFLOAT16}. */
    public static final String ELEMENTWISE_REDUCE = "elementwise_reduce.cl";
    /** The input and output element types of the dtype-generic families, chosen with -D options; needs {@link #BFLOAT16}. */
    public static final String DTYPES = "dtypes.cl";
    /** The blocking the tiled kernels share, chosen with -D options; needs {@link #DTYPES}. */
    public static final String GEMM_TILES = "gemm_tiles.cl";
    /** The tiled GEMM kernel, built once per dtype pair; needs {@link #GEMM_TILES}. */
    public static final String GEMM = "gemm.cl";
    /** The direct and implicit-GEMM convolution kernels, built once per dtype pair; needs {@link #GEMM_TILES}. */
    public static final String CONV2D = "conv2d.cl";

    private OpenClSources() {
    }

    /**
     * The text of one program: the files in order, each followed by a line break.
     *
     * @param fileNames files of native/opencl, e.g. {@link #BFLOAT16} then {@link #GEMM}
     * @throws IllegalArgumentException when there is none, or this build lacks one of them
     */
    public static String program(String... fileNames) {
        Objects.requireNonNull(fileNames, "fileNames");
        if (fileNames.length == 0) {
            throw new IllegalArgumentException("fileNames: empty");
        }
        StringBuilder program = new StringBuilder();
        for (String fileName : fileNames) {
            program.append(read(fileName)).append('\n');
        }
        return program.toString();
    }

    /**
     * The text of a tiled, dtype-generic family's program: {@link #BFLOAT16}, {@link #DTYPES}, {@link #GEMM_TILES},
     * then {@code family}.
     *
     * @param family {@link #GEMM} or {@link #CONV2D}
     */
    public static String tiledProgram(String family) {
        Objects.requireNonNull(family, "family");
        return program(BFLOAT16, DTYPES, GEMM_TILES, family);
    }

    /** The -D options of {@link #DTYPES} that choose the input and output element types. */
    public static String dtypeOptions(DType input, DType output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        return "-D K4J_IN_" + input + " -D K4J_OUT_" + output;
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
