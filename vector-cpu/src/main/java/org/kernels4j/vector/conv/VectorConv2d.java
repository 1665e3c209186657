package org.kernels4j.vector.conv;

import java.util.Objects;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.vector.WorkerPool;
import org.kernels4j.vector.gemm.VectorGemm;

/**
 * 2-D convolution on the JDK Vector API for every spec {@link Conv2dSpec} accepts, the kernel chosen by shape:
 * <ul>
 *   <li>depthwise with floating inputs: {@link DepthwiseConv}, a direct vectorized kernel;</li>
 *   <li>1×1 with unit stride and no padding ("pointwise GEMM"): {@link GemmConv}, the input packed as it is into the
 *       GEMM's panels;</li>
 *   <li>everything else (INT8 depthwise included, through the INT32 GEMM; "im2col GEMM"): {@link GemmConv}, an
 *       implicit GEMM that packs each input window straight into the panels ({@link Im2colPanels}), in tiles of
 *       bounded size.</li>
 * </ul>
 * FP16 and BF16 inputs are widened to FP32 (while packing, or into the depthwise row buffers); INT8 runs on the INT32
 * GEMM with exact, wrapping accumulation. The bias joins the sum before the single rounding to the output dtype.
 *
 * <p>Thread safety: {@link #conv2d} may be called from several threads at once.
 */
public final class VectorConv2d {
    /** Packed input block (NCHW) and workspace per job: 2^20 elements, 4 MiB of FP32 at most. */
    public static final int DEFAULT_SCRATCH_ELEMENTS = 1 << 20;

    private final GemmConv gemmConv;
    private final DepthwiseConv depthwise;

    /** A convolution on {@code pool}'s threads with the default scratch bound. */
    public VectorConv2d(WorkerPool pool, VectorGemm gemm) {
        this(pool, gemm, DEFAULT_SCRATCH_ELEMENTS);
    }

    /**
     * @param scratchElements the most packed input (NCHW) or workspace elements one job may use; smaller values give
     *                        smaller tiles
     */
    public VectorConv2d(WorkerPool pool, VectorGemm gemm, int scratchElements) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(gemm, "gemm");
        this.gemmConv = new GemmConv(pool, gemm, scratchElements);
        this.depthwise = new DepthwiseConv(pool);
    }

    /** {@code y = conv2d(x, w) + bias} with the rules of {@link Conv2dSpec}; {@code bias} is null when the spec has none. */
    public void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(x, w, bias, y);
        ConvBias biasValues = ConvBias.read(spec, bias);
        if (spec.isDepthwise() && spec.inputType().isFloatingPoint()) {
            depthwise.run(spec, x.segment(), w.segment(), biasValues, y.segment());
        } else {
            gemmConv.run(spec, x, w, biasValues, y);
        }
    }

    /** Which kernel runs {@code spec}: "depthwise", "pointwise GEMM" or "im2col GEMM". */
    public static String kernelFor(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isDepthwise() && spec.inputType().isFloatingPoint()) {
            return "depthwise";
        }
        return GemmConv.isPointwise(spec) ? "pointwise GEMM" : "im2col GEMM";
    }
}
