package org.kernels4j.ops;

import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Tensor;

/**
 * An immutable, validated GEMM: {@code C = alpha·op(A)·op(B) + beta·C} on row-major matrices, where
 * op(A) is m×k, op(B) is k×n and C is m×n. A is stored k×m when {@code transA}, B is stored n×k when
 * {@code transB}; {@code lda/ldb/ldc} are the row strides of the stored matrices.
 *
 * <p>Semantics (those of the reference BLAS, which every backend follows):
 * <ul>
 *   <li>m = 0 or n = 0: nothing is read or written.</li>
 *   <li>alpha = 0 or k = 0: C becomes beta·C; A and B are not read.</li>
 *   <li>beta = 0: C is not read, so NaN or Inf in C does not propagate.</li>
 * </ul>
 *
 * <p>Dtypes (input → output): FP32 → FP32; FP16 → FP32 or FP16; BF16 → FP32 or BF16 (FP32 accumulate);
 * INT8 → INT32 (INT32 accumulate, wrapping modulo 2^32 in two's complement; alpha and beta must then be
 * integers, and {@code alpha·acc + beta·C} wraps too) or INT8 → FP32 (exact INT32 accumulate, then
 * scaled in FP32: the quantized path). FP16/BF16 outputs are rounded to nearest even from FP32 and
 * overflow to ±Inf.
 *
 * <p>Validation follows the reference BLAS order (m, n, k, lda, ldb, ldc), then dtypes, then alpha/beta,
 * and fails with an {@link IllegalArgumentException} naming the field and its value.
 */
public final class GemmSpec {
    private final long m;
    private final long n;
    private final long k;
    private final boolean transA;
    private final boolean transB;
    private final float alpha;
    private final float beta;
    private final long lda;
    private final long ldb;
    private final long ldc;
    private final DType inputType;
    private final DType outputType;

    private GemmSpec(Builder b) {
        this.m = b.m;
        this.n = b.n;
        this.k = b.k;
        this.transA = b.transA;
        this.transB = b.transB;
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.lda = b.lda;
        this.ldb = b.ldb;
        this.ldc = b.ldc;
        this.inputType = b.inputType;
        this.outputType = b.outputType;
        validate();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** C = A·B with m, n, k, leading dimensions and dtypes taken from the tensors; alpha = 1, beta = 0. */
    public static GemmSpec of(Tensor a, Tensor b) {
        return of(a, false, b, false);
    }

    /** C = op(A)·op(B) with m, n, k, leading dimensions and dtypes taken from the tensors; alpha = 1, beta = 0. */
    public static GemmSpec of(Tensor a, boolean transA, Tensor b, boolean transB) {
        requireMatrix("a", a);
        requireMatrix("b", b);
        long m = transA ? a.dim(1) : a.dim(0);
        long k = transA ? a.dim(0) : a.dim(1);
        long kb = transB ? b.dim(1) : b.dim(0);
        if (k != kb) {
            throw new IllegalArgumentException("k: op(a) has " + k + " columns but op(b) has " + kb + " rows");
        }
        long n = transB ? b.dim(0) : b.dim(1);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("b.dtype: " + b.dtype() + " differs from a.dtype " + a.dtype());
        }
        return builder().m(m).n(n).k(k).transA(transA).transB(transB)
                .lda(a.stride(0)).ldb(b.stride(0)).ldc(Math.max(1, n))
                .inputType(a.dtype()).build();
    }

    public long m() {
        return m;
    }

    public long n() {
        return n;
    }

    public long k() {
        return k;
    }

    public boolean transA() {
        return transA;
    }

    public boolean transB() {
        return transB;
    }

    public float alpha() {
        return alpha;
    }

    public float beta() {
        return beta;
    }

    public long lda() {
        return lda;
    }

    public long ldb() {
        return ldb;
    }

    public long ldc() {
        return ldc;
    }

    public DType inputType() {
        return inputType;
    }

    public DType outputType() {
        return outputType;
    }

    /** Floating-point (or integer) operations: 2·m·n·k. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    public GemmSpec alpha(float value) {
        return toBuilder().alpha(value).build();
    }

    public GemmSpec beta(float value) {
        return toBuilder().beta(value).build();
    }

    public GemmSpec outType(DType value) {
        return toBuilder().outputType(value).build();
    }

    public GemmSpec ldc(long value) {
        return toBuilder().ldc(value).build();
    }

    public Builder toBuilder() {
        return builder().m(m).n(n).k(k).transA(transA).transB(transB).alpha(alpha).beta(beta)
                .lda(lda).ldb(ldb).ldc(ldc).inputType(inputType).outputType(outputType);
    }

    /** Rows and columns of A as stored. */
    public long aRows() {
        return transA ? k : m;
    }

    public long aCols() {
        return transA ? m : k;
    }

    /** Rows and columns of B as stored. */
    public long bRows() {
        return transB ? n : k;
    }

    public long bCols() {
        return transB ? k : n;
    }

    /**
     * Checks that the tensors are the matrices this spec describes: rank 2, row-major (unit column stride),
     * the stored shapes, leading dimensions and dtypes. Names the operand, the field and the values.
     */
    public void checkOperands(Tensor a, Tensor b, Tensor c) {
        checkOperand("a", a, aRows(), aCols(), lda, inputType);
        checkOperand("b", b, bRows(), bCols(), ldb, inputType);
        checkOperand("c", c, m, n, ldc, outputType);
    }

    private static void checkOperand(String name, Tensor t, long rows, long cols, long ld, DType dtype) {
        requireMatrix(name, t);
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + ".dtype: " + t.dtype() + " but the spec needs " + dtype);
        }
        if (t.dim(0) != rows || t.dim(1) != cols) {
            throw new IllegalArgumentException(name + ".shape: [" + t.dim(0) + ", " + t.dim(1)
                    + "] but the spec needs [" + rows + ", " + cols + "]");
        }
        if (rows > 0 && cols > 0 && t.stride(1) != 1) {
            throw new IllegalArgumentException(name + ".strides[1]: " + t.stride(1) + " but row-major GEMM operands need 1");
        }
        if (rows > 1 && t.stride(0) != ld) {
            throw new IllegalArgumentException(name + ".strides[0]: " + t.stride(0) + " differs from the spec's leading dimension " + ld);
        }
    }

    private static void requireMatrix(String name, Tensor t) {
        Objects.requireNonNull(t, name);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(name + ".rank: " + t.rank() + " but GEMM needs a matrix (rank 2)");
        }
    }

    private void validate() {
        requireNonNegative("m", m);
        requireNonNegative("n", n);
        requireNonNegative("k", k);
        requireLeadingDimension("lda", lda, aCols(), transA ? "m" : "k");
        requireLeadingDimension("ldb", ldb, bCols(), transB ? "k" : "n");
        requireLeadingDimension("ldc", ldc, n, "n");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        OutputTypes.check(inputType, outputType);
        requireFinite("alpha", alpha);
        requireFinite("beta", beta);
        if (outputType == DType.INT32) {
            requireInteger("alpha", alpha);
            requireInteger("beta", beta);
        }
    }

    /** The output dtype used when none is given: INT32 for INT8 inputs, FP32 otherwise. */
    public static DType defaultOutputType(DType inputType) {
        return OutputTypes.defaultFor(inputType);
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + ": " + value + " is negative");
        }
    }

    private static void requireLeadingDimension(String field, long value, long minimum, String dimName) {
        if (value < Math.max(1, minimum)) {
            throw new IllegalArgumentException(field + ": " + value + " is less than max(1, " + dimName + " = " + minimum + ")");
        }
    }

    private static void requireFinite(String field, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(field + ": " + value + " is not finite");
        }
    }

    private static void requireInteger(String field, float value) {
        if (value != Math.rint(value) || Math.abs(value) > 0x1p31) {
            throw new IllegalArgumentException(field + ": " + value
                    + " must be an integer when the output is INT32 (use outputType FP32 for scaled INT8)");
        }
    }

    @Override
    public String toString() {
        return "GemmSpec[m=" + m + ", n=" + n + ", k=" + k + ", transA=" + transA + ", transB=" + transB
                + ", alpha=" + alpha + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc
                + ", " + inputType + "→" + outputType + "]";
    }

    /** Mutable builder; {@link #build()} validates. Defaults: alpha 1, beta 0, FP32, no transposes, minimal lds. */
    public static final class Builder {
        private long m;
        private long n;
        private long k;
        private boolean transA;
        private boolean transB;
        private float alpha = 1f;
        private float beta = 0f;
        private Long lda;
        private Long ldb;
        private Long ldc;
        private DType inputType = DType.FP32;
        private DType outputType;

        private Builder() {
        }

        public Builder m(long value) {
            m = value;
            return this;
        }

        public Builder n(long value) {
            n = value;
            return this;
        }

        public Builder k(long value) {
            k = value;
            return this;
        }

        public Builder transA(boolean value) {
            transA = value;
            return this;
        }

        public Builder transB(boolean value) {
            transB = value;
            return this;
        }

        public Builder alpha(float value) {
            alpha = value;
            return this;
        }

        public Builder beta(float value) {
            beta = value;
            return this;
        }

        public Builder lda(long value) {
            lda = value;
            return this;
        }

        public Builder ldb(long value) {
            ldb = value;
            return this;
        }

        public Builder ldc(long value) {
            ldc = value;
            return this;
        }

        public Builder inputType(DType value) {
            inputType = value;
            return this;
        }

        public Builder outputType(DType value) {
            outputType = value;
            return this;
        }

        /** Validates and builds; a leading dimension left unset is the minimum for its matrix. */
        public GemmSpec build() {
            if (lda == null) {
                lda = Math.max(1, transA ? m : k);
            }
            if (ldb == null) {
                ldb = Math.max(1, transB ? k : n);
            }
            if (ldc == null) {
                ldc = Math.max(1, n);
            }
            if (outputType == null && inputType != null) {
                outputType = defaultOutputType(inputType);
            }
            return new GemmSpec(this);
        }
    }
}
