package org.kernels4j.gpu.cuda;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The one class that calls JCuda. Loading it loads JCuda's native library, which links libcuda.so.1,
 * so callers reach it only after that library was found and catch {@link LinkageError} around it.
 */
final class CudaDriverQuery {
    /** The answer: the first device, or why there is none. */
    sealed interface Result {
        record Found(CudaDeviceInfo device) implements Result {
        }

        record Failed(String reason) implements Result {
        }
    }

    private CudaDriverQuery() {
    }

    static Result firstDevice() {
        // Error codes are part of the reasons we report, so JCuda must return them rather than throw.
        JCudaDriver.setExceptionsEnabled(false);
        int status = JCudaDriver.cuInit(0);
        if (status != CUresult.CUDA_SUCCESS) {
            return new Result.Failed("cuInit failed: " + CudaException.describe(status));
        }
        int[] count = new int[1];
        status = JCudaDriver.cuDeviceGetCount(count);
        if (status != CUresult.CUDA_SUCCESS) {
            return new Result.Failed("cuDeviceGetCount failed: " + CudaException.describe(status));
        }
        if (count[0] == 0) {
            return new Result.Failed("no CUDA device");
        }
        CUdevice device = new CUdevice();
        byte[] name = new byte[256];
        int[] major = new int[1];
        int[] minor = new int[1];
        long[] memory = new long[1];
        status = JCudaDriver.cuDeviceGet(device, 0);
        if (status == CUresult.CUDA_SUCCESS) {
            status = JCudaDriver.cuDeviceGetName(name, name.length, device);
        }
        if (status == CUresult.CUDA_SUCCESS) {
            status = JCudaDriver.cuDeviceGetAttribute(major,
                    CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        }
        if (status == CUresult.CUDA_SUCCESS) {
            status = JCudaDriver.cuDeviceGetAttribute(minor,
                    CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        }
        if (status == CUresult.CUDA_SUCCESS) {
            status = JCudaDriver.cuDeviceTotalMem(memory, device);
        }
        if (status != CUresult.CUDA_SUCCESS) {
            return new Result.Failed("querying CUDA device 0 failed: " + CudaException.describe(status));
        }
        return new Result.Found(new CudaDeviceInfo(0, cString(name), major[0], minor[0], memory[0]));
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
