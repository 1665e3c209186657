package org.kernels4j.vector.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kernels4j.DType;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.vector.WorkerPool;

/**
 * FP32 GEMM where op(A) has at most {@value #MAX_SHORT_SIDE} rows or op(B) at most that many columns, and the
 * other operand's lines are contiguous — matrix-vector products and their few-vector cousins, the m = 1…8 of
 * LLM token generation. Packing would copy the whole large operand to use each element only a few times, so
 * this path streams it in place as row updates: {@code y_i += x_i[p] · line p}.
 *
 * <p>The short side is called x (s lines of length k) and the long side M (L lines of length k); the result
 * y[i][j] = Σ_p x_i[p]·M_j[p] is C's row i, column j when m is the short side, and its transpose otherwise.
 * Every element is summed exactly as {@link BlockedGemm} sums it — from zero, in depth order with fused
 * multiply-adds within each kc slice, the slices added into C in order by the same {@link FloatTileWriter} —
 * so the two paths give the same bits, and callers that split a problem into pieces of different shapes
 * (convolution tiles) see no seams. Each element is summed by one thread, so the thread count changes nothing.
 *
 * <p>Thread safety: {@link #multiply} may be called from several threads at once.
 */
final class MatrixVectorGemm {
    static final int MAX_SHORT_SIDE = 8;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private final WorkerPool pool;
    private final int kc;

    /** @param kc the depth of {@link BlockedGemm}'s slices, whose sums this path reproduces */
    MatrixVectorGemm(WorkerPool pool, int kc) {
        this.pool = pool;
        this.kc = kc;
    }

    /**
     * Whether this path runs {@code spec}: FP32 in and out, a reduction to do, and a short side whose partner's
     * lines are contiguous (B not transposed for a short m, A transposed for a short n).
     */
    static boolean applies(GemmSpec spec) {
        if (spec.inputType() != DType.FP32 || spec.outputType() != DType.FP32 || spec.k() == 0) {
            return false;
        }
        if (shortRows(spec)) {
            return !spec.transB();
        }
        return spec.n() <= MAX_SHORT_SIDE && spec.transA();
    }

    private static boolean shortRows(GemmSpec spec) {
        return spec.m() <= MAX_SHORT_SIDE && (spec.m() <= spec.n() || spec.n() > MAX_SHORT_SIDE);
    }

    void multiply(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        boolean shortRows = shortRows(spec);
        OperandView shortSide = shortRows ? OperandView.left(spec, a) : OperandView.right(spec, b);
        OperandView longSide = shortRows ? OperandView.right(spec, b) : OperandView.left(spec, a);
        int s = Math.toIntExact(shortRows ? spec.m() : spec.n());
        int lines = Math.toIntExact(shortRows ? spec.n() : spec.m());
        float[][] x = gather(shortSide, s, Math.toIntExact(spec.k()));
        FloatTileWriter writer = new FloatTileWriter(spec.alpha(), spec.beta());
        int k = Math.toIntExact(spec.k());
        int linesPerItem = roundUpToLanes(ceilDiv(lines, pool.threads()));
        pool.forEach(ceilDiv(lines, linesPerItem), (item, participant) -> {
            int first = item * linesPerItem;
            int count = Math.min(linesPerItem, lines - first);
            for (int depthStart = 0; depthStart < k; depthStart += kc) {
                int depth = Math.min(kc, k - depthStart);
                float[] y = rowUpdates(longSide, x, first, count, depthStart, depth);
                boolean firstSlice = depthStart == 0;
                if (shortRows) {
                    writer.write(y, count, s, count, c.segment(), first, spec.ldc(), firstSlice);
                } else {
                    writer.write(transpose(y, s, count), s, count, s, c.segment(), first * spec.ldc(), spec.ldc(), firstSlice);
                }
            }
        });
    }

    /**
     * y[i][j] summed over the depths depthStart…depthStart+depth for M's lines first…first+count, which are
     * contiguous: four depths per pass over y, each vector of M loaded once for all s rows of y.
     */
    private static float[] rowUpdates(OperandView m, float[][] x, int first, int count, int depthStart, int depth) {
        int s = x.length;
        int k = depthStart + depth;
        float[] y = new float[s * count];
        MemorySegment segment = m.segment();
        long step = m.depthStride() * Float.BYTES;
        int p = depthStart;
        for (; p + 4 <= k; p += 4) {
            long run = m.index(first, p) * Float.BYTES;
            int j = 0;
            for (; j + LANES <= count; j += LANES) {
                long at = run + (long) j * Float.BYTES;
                FloatVector m0 = FloatVector.fromMemorySegment(SPECIES, segment, at, ORDER);
                FloatVector m1 = FloatVector.fromMemorySegment(SPECIES, segment, at + step, ORDER);
                FloatVector m2 = FloatVector.fromMemorySegment(SPECIES, segment, at + 2 * step, ORDER);
                FloatVector m3 = FloatVector.fromMemorySegment(SPECIES, segment, at + 3 * step, ORDER);
                for (int i = 0; i < s; i++) {
                    float[] xi = x[i];
                    int yi = i * count + j;
                    FloatVector sum = FloatVector.fromArray(SPECIES, y, yi);
                    sum = m0.fma(FloatVector.broadcast(SPECIES, xi[p]), sum);
                    sum = m1.fma(FloatVector.broadcast(SPECIES, xi[p + 1]), sum);
                    sum = m2.fma(FloatVector.broadcast(SPECIES, xi[p + 2]), sum);
                    sum = m3.fma(FloatVector.broadcast(SPECIES, xi[p + 3]), sum);
                    sum.intoArray(y, yi);
                }
            }
            for (; j < count; j++) {
                long at = run + (long) j * Float.BYTES;
                for (int i = 0; i < s; i++) {
                    float[] xi = x[i];
                    float sum = Math.fma(segment.get(FLOAT, at), xi[p], y[i * count + j]);
                    sum = Math.fma(segment.get(FLOAT, at + step), xi[p + 1], sum);
                    sum = Math.fma(segment.get(FLOAT, at + 2 * step), xi[p + 2], sum);
                    y[i * count + j] = Math.fma(segment.get(FLOAT, at + 3 * step), xi[p + 3], sum);
                }
            }
        }
        for (; p < k; p++) {
            long run = m.index(first, p) * Float.BYTES;
            for (int j = 0; j < count; j++) {
                float element = segment.get(FLOAT, run + (long) j * Float.BYTES);
                for (int i = 0; i < s; i++) {
                    y[i * count + j] = Math.fma(element, x[i][p], y[i * count + j]);
                }
            }
        }
        return y;
    }

    private static float[][] gather(OperandView side, int lines, int k) {
        float[][] x = new float[lines][k];
        for (int i = 0; i < lines; i++) {
            for (int p = 0; p < k; p++) {
                x[i][p] = side.segment().getAtIndex(FLOAT, side.index(i, p));
            }
        }
        return x;
    }

    private static float[] transpose(float[] y, int rows, int columns) {
        float[] t = new float[y.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                t[j * rows + i] = y[i * columns + j];
            }
        }
        return t;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUpToLanes(int lines) {
        return ceilDiv(lines, LANES) * LANES;
    }
}
