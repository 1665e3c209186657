package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.GemmPreamble;
import org.kernels4j.vector.CpuInfo;
import org.kernels4j.vector.WorkerPool;

/**
 * GEMM on the JDK Vector API for every dtype pair {@link GemmSpec} accepts, every input widened to FP32 while
 * packing and run through the FP32 kernel. INT8 runs in slices of at most {@link BlockSizes#MAX_EXACT_INT8_KC}
 * depth steps, whose FP32 sums are exact integers; each slice's sums are converted to int and added into the INT32
 * result wrapping modulo 2^32, which gives the bits of INT32 accumulation. The Vector API has no integer FMA: an
 * INT32 kernel that multiplied then added ran at 0.8–0.9× the FP32 GEMM's speed, INT8 this way at 1.03–1.44× (AVX2
 * EPYC, 1 thread, 1024³ and 32 × 4096 × 4096). Outputs of the accumulator's type (FP32, or INT32 from INT8) are
 * accumulated in C directly; the others (FP16, BF16, and FP32 from INT8) go through a workspace and
 * {@link NarrowingEpilogue}.
 *
 * <p>Thread safety: {@link #gemm} may be called from several threads at once.
 */
public final class VectorGemm {
    /** Largest workspace band, in accumulator elements (16 MiB). */
    private static final int WORKSPACE_ELEMENTS = 1 << 22;

    private final WorkerPool pool;
    private final BlockedGemm floatGemm;
    private final BlockedGemm int8Gemm;
    private final MatrixVectorGemm matrixVector;
    private final DotProductGemm dotProduct;

    /**
     * @param pool   the threads to run on
     * @param cpu    cache sizes the automatic block sizes derive from
     * @param config kernel shape and block sizes
     */
    public VectorGemm(WorkerPool pool, CpuInfo cpu, GemmConfig config) {
        this.pool = Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(config, "config");
        MicroKernel floatKernel = floatKernel(config.floatKernel());
        this.floatGemm = new BlockedGemm(floatKernel, BlockSizes.choose(floatKernel, cpu, config), pool);
        this.int8Gemm = new BlockedGemm(floatKernel, BlockSizes.chooseForExactInt8(floatKernel, cpu, config), pool);
        this.matrixVector = new MatrixVectorGemm(pool, floatGemm.blocks().kc(), int8Gemm.blocks().kc());
        this.dotProduct = new DotProductGemm(pool);
    }

    /** The vector width the kernels use, in bits. */
    public static int vectorBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** Kernel shapes and block sizes in use, for logs and benchmark reports. */
    public String describe() {
        return "FP32 kernel " + shape(floatGemm) + " " + floatGemm.blocks()
                + ", INT8 via FP32 kernel " + shape(int8Gemm) + " " + int8Gemm.blocks() + " (kc ≤ "
                + BlockSizes.MAX_EXACT_INT8_KC + ", exact)";
    }

    /**
     * The FP32 kernel's panels for callers that pack their own operands, widening {@code input} (FP32, FP16 or BF16)
     * while they pack; the same kernel and block sizes as {@link #gemmInDepthOrder}.
     */
    public PanelKernel floatPanels(DType input) {
        Objects.requireNonNull(input, "input");
        return PanelKernel.floats(floatGemm, input);
    }

    /**
     * The FP32 kernel's panels for callers that pack their own INT8 operands, with slices shallow enough for exact
     * sums and a tile epilogue into INT32 memory.
     */
    public PanelKernel int8Panels() {
        return PanelKernel.int8(int8Gemm);
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} with the rules of {@link GemmSpec}. Each element's sum is the same for
     * every thread count and every call with the same shape; with a short side whose partner's lines run along the
     * reduction it is summed in {@link DotProductGemm}'s order, otherwise as {@link #gemmInDepthOrder} sums it.
     */
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        if (GemmPreamble.handleTrivialCases(spec, a, b, c)) {
            return;
        }
        if (DotProductGemm.applies(spec)) {
            dotProduct.multiply(spec, a, b, c);
            return;
        }
        multiplyInDepthOrder(spec, a, b, c);
    }

    /**
     * {@link #gemm}, with every element summed in depth order whatever the shape: from zero with fused multiply-adds
     * within each kc slice, the slices added into C in order. An element's bits then depend only on its row of op(A)
     * and column of op(B), so a product cut into pieces of any shapes (convolution tiles) gives the uncut bits.
     */
    public void gemmInDepthOrder(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        Objects.requireNonNull(spec, "spec");
        if (GemmPreamble.handleTrivialCases(spec, a, b, c)) {
            return;
        }
        multiplyInDepthOrder(spec, a, b, c);
    }

    private void multiplyInDepthOrder(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        if (MatrixVectorGemm.applies(spec)) {
            matrixVector.multiply(spec, a, b, c);
            return;
        }
        OperandView left = OperandView.left(spec, a);
        OperandView right = OperandView.right(spec, b);
        DType input = spec.inputType();
        DType output = spec.outputType();
        if (input == DType.INT8 && output == DType.INT32) {
            int8Gemm.multiply(spec.m(), spec.n(), spec.k(), ElementReader.INT8, left, right, IntTileWriter.of(spec), c.segment(),
                    spec.ldc());
        } else if (input != DType.INT8 && output == DType.FP32) {
            floatGemm.multiply(spec.m(), spec.n(), spec.k(), ElementReader.toFloat(input), left, right,
                    new FloatTileWriter(spec.alpha(), spec.beta()), c.segment(), spec.ldc());
        } else {
            gemmThroughWorkspace(spec, left, right, c);
        }
    }

    /**
     * Accumulates C in bands of at most {@value #WORKSPACE_ELEMENTS} elements, each in a heap workspace (cheap to
     * allocate, unlike off-heap memory shared between threads, whose release costs every thread a handshake), and
     * narrows each band into C. A band's elements get exactly the sums they would get unbanded.
     */
    private void gemmThroughWorkspace(GemmSpec spec, OperandView left, OperandView right, Tensor c) {
        long m = spec.m();
        long n = spec.n();
        boolean integer = spec.inputType() == DType.INT8;
        int bandColumns = (int) Math.min(n, WORKSPACE_ELEMENTS);
        int bandRows = (int) Math.min(m, WORKSPACE_ELEMENTS / bandColumns);
        for (long i0 = 0; i0 < m; i0 += bandRows) {
            int rows = (int) Math.min(bandRows, m - i0);
            for (long j0 = 0; j0 < n; j0 += bandColumns) {
                int columns = (int) Math.min(bandColumns, n - j0);
                OperandView bandA = left.fromLine(i0);
                OperandView bandB = right.fromLine(j0);
                MemorySegment accumulator;
                if (integer) {
                    int[] sums = new int[rows * columns];
                    accumulator = MemorySegment.ofArray(sums);
                    int8Gemm.multiply(rows, columns, spec.k(), ElementReader.INT8, bandA, bandB, new IntTileWriter(1, 0),
                            accumulator, columns);
                } else {
                    float[] sums = new float[rows * columns];
                    accumulator = MemorySegment.ofArray(sums);
                    floatGemm.multiply(rows, columns, spec.k(), ElementReader.toFloat(spec.inputType()), bandA, bandB,
                            new FloatTileWriter(1f, 0f), accumulator, columns);
                }
                NarrowingEpilogue.apply(pool, rows, columns, accumulator, integer ? DType.INT32 : DType.FP32, spec.alpha(),
                        spec.beta(), c.segment(), i0 * spec.ldc() + j0, spec.ldc(), spec.outputType());
            }
        }
    }

    private static MicroKernel floatKernel(String shape) {
        String chosen = GemmConfig.AUTO.equals(shape) ? (vectorBits() >= 512 ? GemmConfig.KERNEL_4X3 : GemmConfig.KERNEL_4X2) : shape;
        return GemmConfig.KERNEL_4X3.equals(chosen) ? new FloatKernel4x3() : new FloatKernel4x2();
    }

    private static String shape(BlockedGemm gemm) {
        return gemm.kernel().rows() + "x" + gemm.kernel().columns();
    }
}
