package org.kernels4j.gpu.opencl;

import org.jocl.CL;

/** An OpenCL call that returned an error status: names the call, the status and its code. */
public class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OpenClException(String message) {
        super(message);
    }

    /** Throws unless {@code status} is CL_SUCCESS. */
    static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new OpenClException(describe(status, call));
        }
    }

    static String describe(int status, String call) {
        return call + " failed: " + CL.stringFor_errorCode(status) + " (" + status + ")";
    }
}
