package org.kernels4j.gpu.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.kernels4j.gpu.GpuDescription;

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

    /** Every device with its details, or why there is none. */
    sealed interface Described {
        record Found(List<GpuDescription> devices) implements Described {
            public Found {
                devices = List.copyOf(devices);
            }
        }

        record Failed(String reason) implements Described {
        }
    }

    private CudaDriverQuery() {
    }

    static Described describeAll() {
        JCudaDriver.setExceptionsEnabled(false);
        int status = JCudaDriver.cuInit(0);
        if (status != CUresult.CUDA_SUCCESS) {
            return new Described.Failed("cuInit failed: " + CudaException.describe(status));
        }
        int[] count = new int[1];
        int[] driverVersion = new int[1];
        status = JCudaDriver.cuDeviceGetCount(count);
        if (status == CUresult.CUDA_SUCCESS) {
            status = JCudaDriver.cuDriverGetVersion(driverVersion);
        }
        if (status != CUresult.CUDA_SUCCESS) {
            return new Described.Failed("querying the CUDA driver failed: " + CudaException.describe(status));
        }
        if (count[0] == 0) {
            return new Described.Failed("no CUDA device");
        }
        List<GpuDescription> devices = new ArrayList<>();
        for (int ordinal = 0; ordinal < count[0]; ordinal++) {
            CUdevice device = new CUdevice();
            byte[] name = new byte[256];
            long[] memory = new long[1];
            status = JCudaDriver.cuDeviceGet(device, ordinal);
            if (status == CUresult.CUDA_SUCCESS) {
                status = JCudaDriver.cuDeviceGetName(name, name.length, device);
            }
            if (status == CUresult.CUDA_SUCCESS) {
                status = JCudaDriver.cuDeviceTotalMem(memory, device);
            }
            int[] attributes = new int[ATTRIBUTES.length];
            for (int i = 0; i < ATTRIBUTES.length && status == CUresult.CUDA_SUCCESS; i++) {
                int[] value = new int[1];
                status = JCudaDriver.cuDeviceGetAttribute(value, ATTRIBUTES[i], device);
                attributes[i] = value[0];
            }
            if (status != CUresult.CUDA_SUCCESS) {
                return new Described.Failed("querying CUDA device " + ordinal + " failed: " + CudaException.describe(status));
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("device", Integer.toString(ordinal));
            details.put("compute capability", attributes[0] + "." + attributes[1] + " (sm_" + attributes[0] + attributes[1] + ")");
            details.put("multiprocessors", Integer.toString(attributes[2]));
            details.put("clock", attributes[3] / 1000 + " MHz");
            details.put("memory", GpuDescription.gibibytes(memory[0]));
            details.put("memory clock", attributes[4] / 1000 + " MHz");
            details.put("memory bus", attributes[5] + " bits");
            details.put("driver", "CUDA " + driverVersion[0] / 1000 + "." + driverVersion[0] % 1000 / 10);
            devices.add(new GpuDescription(CudaBackendProvider.NAME, cString(name), "GPU", true, "", details));
        }
        return new Described.Found(devices);
    }

    /** Compute capability major and minor, multiprocessors, clock (kHz), memory clock (kHz), memory bus width (bits). */
    private static final int[] ATTRIBUTES = {
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH};

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
