package org.kernels4j.comm;

import java.util.Locale;
import java.util.Objects;
import org.kernels4j.DType;

/**
 * The element-wise reduction of a collective. SUM and PROD wrap in two's complement for integer dtypes;
 * MAX and MIN follow {@link Math#max(float, float)}/{@link Math#min(float, float)} for floating dtypes
 * (NaN wins); AVG is the sum divided once, at the end, by the number of ranks and exists only for
 * floating dtypes.
 *
 * <p>Immutable and thread-safe.
 */
public enum ReduceOp {
    SUM, PROD, MAX, MIN, AVG;

    /** True when this op is defined for {@code dtype} (every op except AVG on integer dtypes). */
    public boolean supports(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        return this != AVG || dtype.isFloatingPoint();
    }

    /** Throws {@link IllegalArgumentException} naming the op and the dtype unless {@link #supports} holds. */
    public void checkSupports(DType dtype) {
        if (!supports(dtype)) {
            throw new IllegalArgumentException("op: " + this + " is not defined for integer dtype " + dtype
                    + " (an integer average would need a rounding rule; use SUM and divide)");
        }
    }

    /** Lower-case name as used on the command line (sum, prod, max, min, avg). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
