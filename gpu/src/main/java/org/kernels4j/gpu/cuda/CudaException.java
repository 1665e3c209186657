package org.kernels4j.gpu.cuda;

import jcuda.driver.CUresult;

/** A CUDA driver call that failed, with the call and the driver's error name and code in the message. */
public final class CudaException extends RuntimeException {
    private final int status;

    CudaException(String call, int status) {
        super(call + " failed: " + describe(status));
        this.status = status;
    }

    /** The driver's CUresult code. */
    public int status() {
        return status;
    }

    /** Throws unless {@code status} is CUDA_SUCCESS. */
    static void check(int status, String call) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, status);
        }
    }

    /** "CUDA_ERROR_NO_DEVICE (100)". */
    static String describe(int status) {
        return CUresult.stringFor(status) + " (" + status + ")";
    }
}
