package org.kernels4j.gpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.gpu.ElementwiseReduce;

/**
 * The kernel symbols of native/cuda/gemm.cu and conv2d.cu that the Java side launches. This list is the
 * Java side's promise about those files: tests check the fatbin of every target architecture against it.
 */
final class CudaKernelNames {
    /** The input → output dtype pairs GemmSpec and Conv2dSpec accept, each with its own kernel instance. */
    static final List<DTypePair> PAIRS = List.of(new DTypePair(DType.FP32, DType.FP32),
            new DTypePair(DType.FP16, DType.FP32), new DTypePair(DType.FP16, DType.FP16),
            new DTypePair(DType.BF16, DType.FP32), new DTypePair(DType.BF16, DType.BF16),
            new DTypePair(DType.INT8, DType.INT32), new DTypePair(DType.INT8, DType.FP32));

    /** One instance of a kernel template: its input and output dtypes. */
    record DTypePair(DType input, DType output) {
        DTypePair {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }

        String suffix() {
            return input.cliName() + "_" + output.cliName();
        }
    }

    private CudaKernelNames() {
    }

    /** k4j_gemm_simt_&lt;in&gt;_&lt;out&gt;: the SIMT GEMM, every dtype pair. */
    static String gemmSimt(DType input, DType output) {
        return "k4j_gemm_simt_" + pair(input, output).suffix();
    }

    /** k4j_gemm_tc_&lt;in&gt;_&lt;out&gt;: the tensor-core GEMM, FP16, BF16 and INT8 inputs. */
    static String gemmTensorCores(DType input, DType output) {
        return "k4j_gemm_tc_" + tensorCorePair("GEMM", input, output).suffix();
    }

    /** k4j_transpose_b8 or _b16: the repacking transpose for 1- and 2-byte elements. */
    static String transpose(int elementBytes) {
        if (elementBytes != 1 && elementBytes != 2) {
            throw new IllegalArgumentException("elementBytes: " + elementBytes + " (transpose kernels exist for 1 and 2)");
        }
        return "k4j_transpose_b" + elementBytes * 8;
    }

    /** k4j_transpose_batched_b8, _b16 or _b32: the batched transpose of conv2d.cu's NCHW ↔ NHWC transforms. */
    static String transposeBatched(int elementBytes) {
        if (elementBytes != 1 && elementBytes != 2 && elementBytes != 4) {
            throw new IllegalArgumentException("elementBytes: " + elementBytes + " (batched transpose kernels exist for 1, 2 and 4)");
        }
        return "k4j_transpose_batched_b" + elementBytes * 8;
    }

    /** k4j_conv2d_igemm_&lt;layout&gt;_&lt;in&gt;_&lt;out&gt;: the implicit-GEMM convolution. */
    static String convImplicitGemm(Layout layout, DType input, DType output) {
        return "k4j_conv2d_igemm_" + layoutName(layout) + "_" + pair(input, output).suffix();
    }

    /** k4j_conv2d_tc_nhwc_&lt;in&gt;_&lt;out&gt;: the NHWC implicit-GEMM convolution on tensor cores, FP16, BF16 and INT8 inputs. */
    static String convTensorCores(DType input, DType output) {
        return "k4j_conv2d_tc_nhwc_" + tensorCorePair("convolution", input, output).suffix();
    }

    /** k4j_conv2d_depthwise_&lt;layout&gt;_&lt;in&gt;_&lt;out&gt;: the direct depthwise convolution. */
    static String convDepthwise(Layout layout, DType input, DType output) {
        return "k4j_conv2d_depthwise_" + layoutName(layout) + "_" + pair(input, output).suffix();
    }

    /** Every kernel the CUDA backend may launch, the elementwise reductions included. */
    static List<String> all() {
        List<String> names = new ArrayList<>();
        for (DTypePair pair : PAIRS) {
            names.add(gemmSimt(pair.input(), pair.output()));
            if (pair.input() != DType.FP32) {
                names.add(gemmTensorCores(pair.input(), pair.output()));
                names.add(convTensorCores(pair.input(), pair.output()));
            }
            for (Layout layout : Layout.values()) {
                names.add(convImplicitGemm(layout, pair.input(), pair.output()));
                names.add(convDepthwise(layout, pair.input(), pair.output()));
            }
        }
        names.add(transpose(1));
        names.add(transpose(2));
        for (int elementBytes : new int[] {1, 2, 4}) {
            names.add(transposeBatched(elementBytes));
        }
        names.addAll(ElementwiseReduce.kernelNames());
        return List.copyOf(names);
    }

    private static DTypePair pair(DType input, DType output) {
        DTypePair pair = new DTypePair(input, output);
        if (!PAIRS.contains(pair)) {
            throw new IllegalArgumentException("input, output: " + input + "→" + output + " is not a supported pair " + PAIRS);
        }
        return pair;
    }

    private static DTypePair tensorCorePair(String family, DType input, DType output) {
        DTypePair pair = pair(input, output);
        if (input == DType.FP32) {
            throw new IllegalArgumentException("input: FP32 has no tensor-core " + family + " kernel (FP16, BF16 and INT8 do)");
        }
        return pair;
    }

    private static String layoutName(Layout layout) {
        return Objects.requireNonNull(layout, "layout").name().toLowerCase(Locale.ROOT);
    }
}
