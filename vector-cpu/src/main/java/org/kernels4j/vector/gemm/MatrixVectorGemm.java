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
 * FP32 GEMM where op(A) has at most {@value #MAX_SHORT_SIDE} rows or op(B) at most that many columns — matrix-vector
 * products and their few-vector cousins, the m = 1…8 of LLM token generation. Packing would copy the whole large
 * operand to use each element only a few times, so this path streams it in place instead: as row updates
 * ({@code y_i += x_i[p] · line p}) when its lines are contiguous, as dot products when its reduction runs are.
 *
 * <p>The short side is called x (s lines of length k) and the long side M (L lines of length k); the result
 * y[i][j] = Σ_p x_i[p]·M_j[p] is C's row i, column j when m is the short side, and its transpose otherwise. Each
 * element is summed in one fixed order by one thread, so results do not depend on the thread count.
 *
 * <p>Thread safety: {@link #multiply} may be called from several threads at once.
 */
final class MatrixVectorGemm {
    static final int MAX_SHORT_SIDE = 8;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Lines of a dot-product work item: small enough to balance threads, large enough to amortise the hand-off. */
    private static final int DOT_LINES_PER_ITEM = 64;

    private final WorkerPool pool;

    MatrixVectorGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /** Whether this path runs {@code spec}: FP32 in and out, a short side, and a reduction to do. */
    static boolean applies(GemmSpec spec) {
        return spec.inputType() == DType.FP32 && spec.outputType() == DType.FP32 && spec.k() > 0
                && Math.min(spec.m(), spec.n()) <= MAX_SHORT_SIDE;
    }

    void multiply(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        boolean shortRows = spec.m() <= spec.n();
        OperandView shortSide = shortRows ? OperandView.left(spec, a) : OperandView.right(spec, b);
        OperandView longSide = shortRows ? OperandView.right(spec, b) : OperandView.left(spec, a);
        int s = Math.toIntExact(shortRows ? spec.m() : spec.n());
        int lines = Math.toIntExact(shortRows ? spec.n() : spec.m());
        float[][] x = gather(shortSide, s, Math.toIntExact(spec.k()));
        FloatTileWriter writer = new FloatTileWriter(spec.alpha(), spec.beta());
        boolean rowUpdates = longSide.lineStride() == 1 && lines > 1;
        int linesPerItem = rowUpdates ? roundUpToLanes(ceilDiv(lines, pool.threads())) : DOT_LINES_PER_ITEM;
        pool.forEach(ceilDiv(lines, linesPerItem), (item, participant) -> {
            int first = item * linesPerItem;
            int count = Math.min(linesPerItem, lines - first);
            float[] y = rowUpdates ? rowUpdates(longSide, x, first, count) : dotProducts(longSide, x, first, count);
            if (shortRows) {
                writer.write(y, count, s, count, c.segment(), first, spec.ldc(), true);
            } else {
                writer.write(transpose(y, s, count), s, count, s, c.segment(), first * spec.ldc(), spec.ldc(), true);
            }
        });
    }

    /**
     * y[i][j] for M's lines first…first+count, which are contiguous: four of M's reduction steps per pass over y,
     * each vector of them loaded once for all s rows of y.
     */
    private static float[] rowUpdates(OperandView m, float[][] x, int first, int count) {
        int s = x.length;
        int k = x[0].length;
        float[] y = new float[s * count];
        MemorySegment segment = m.segment();
        long step = m.depthStride() * Float.BYTES;
        int p = 0;
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

    /** y[i][j] for M's lines first…first+count, whose reduction runs are contiguous: one dot product each. */
    private static float[] dotProducts(OperandView m, float[][] x, int first, int count) {
        int s = x.length;
        int k = x[0].length;
        float[] y = new float[s * count];
        float[] lanes = new float[LANES];
        MemorySegment segment = m.segment();
        int vectorEnd = k - k % LANES;
        for (int j = 0; j < count; j++) {
            long line = m.index(first + j, 0) * Float.BYTES;
            for (int i = 0; i < s; i++) {
                float[] xi = x[i];
                FloatVector sum = FloatVector.zero(SPECIES);
                for (int p = 0; p < vectorEnd; p += LANES) {
                    sum = FloatVector.fromMemorySegment(SPECIES, segment, line + (long) p * Float.BYTES, ORDER)
                            .fma(FloatVector.fromArray(SPECIES, xi, p), sum);
                }
                // Lanes are added in index order: reduceLanes may pick another order compiled than interpreted.
                sum.intoArray(lanes, 0);
                float total = 0f;
                for (float lane : lanes) {
                    total += lane;
                }
                for (int p = vectorEnd; p < k; p++) {
                    total = Math.fma(segment.get(FLOAT, line + (long) p * Float.BYTES), xi[p], total);
                }
                y[i * count + j] = total;
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
