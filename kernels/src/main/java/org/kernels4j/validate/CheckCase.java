package org.kernels4j.validate;

import org.kernels4j.DType;

/** What every differential-check case of any op tells a report: its label, its fill, and its dtypes. */
public interface CheckCase {
    /** The case in one line: dtypes, shape and flags. */
    String label();

    Fill fill();

    DType inputType();

    DType outputType();
}
