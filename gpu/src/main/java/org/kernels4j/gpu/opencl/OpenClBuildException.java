package org.kernels4j.gpu.opencl;

import java.util.Objects;

/** A program that did not compile for a device; the message and {@link #buildLog()} carry the compiler's log. */
public final class OpenClBuildException extends OpenClException {
    private static final long serialVersionUID = 1L;
    private final String buildLog;

    OpenClBuildException(String failure, String options, String buildLog) {
        super(failure + " with options '" + options + "':\n" + buildLog);
        this.buildLog = Objects.requireNonNull(buildLog, "buildLog");
    }

    /** What the OpenCL compiler said. */
    public String buildLog() {
        return buildLog;
    }
}
