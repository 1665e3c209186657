package org.kernels4j.gpu.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
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
        try {
            int count = deviceCount();
            int[] driverVersion = new int[1];
            CudaException.check(JCudaDriver.cuDriverGetVersion(driverVersion), "cuDriverGetVersion");
            List<GpuDescription> devices = new ArrayList<>();
            for (int ordinal = 0; ordinal < count; ordinal++) {
                devices.add(describe(query(ordinal), driverVersion[0]));
            }
            return new Described.Found(devices);
        } catch (CudaException | NoDevice e) {
            return new Described.Failed(e.getMessage());
        }
    }

    static Result firstDevice() {
        try {
            deviceCount();
            return new Result.Found(query(0).info());
        } catch (CudaException | NoDevice e) {
            return new Result.Failed(e.getMessage());
        }
    }

    /** The driver initialised and answered, but counts no device. */
    private static final class NoDevice extends Exception {
        NoDevice() {
            super("no CUDA device", null, false, false);
        }
    }

    /** Name, memory and {@link #ATTRIBUTES} of one device. */
    private record Queried(CudaDeviceInfo info, int[] attributes) {
    }

    /** Compute capability major and minor, multiprocessors, clock (kHz), memory clock (kHz), memory bus width (bits). */
    private static final int[] ATTRIBUTES = {
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH};

    private static int deviceCount() throws NoDevice {
        // Error codes are part of the reasons we report, so JCuda must return them rather than throw.
        JCudaDriver.setExceptionsEnabled(false);
        CudaException.check(JCudaDriver.cuInit(0), "cuInit");
        int[] count = new int[1];
        CudaException.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) {
            throw new NoDevice();
        }
        return count[0];
    }

    private static Queried query(int ordinal) {
        String call = "querying CUDA device " + ordinal;
        CUdevice device = new CUdevice();
        CudaException.check(JCudaDriver.cuDeviceGet(device, ordinal), call);
        byte[] name = new byte[256];
        CudaException.check(JCudaDriver.cuDeviceGetName(name, name.length, device), call);
        long[] memory = new long[1];
        CudaException.check(JCudaDriver.cuDeviceTotalMem(memory, device), call);
        int[] attributes = new int[ATTRIBUTES.length];
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            int[] value = new int[1];
            CudaException.check(JCudaDriver.cuDeviceGetAttribute(value, ATTRIBUTES[i], device), call);
            attributes[i] = value[0];
        }
        return new Queried(new CudaDeviceInfo(ordinal, cString(name), attributes[0], attributes[1], memory[0]), attributes);
    }

    private static GpuDescription describe(Queried device, int driverVersion) {
        int[] attributes = device.attributes();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("device", Integer.toString(device.info().ordinal()));
        details.put("compute capability", attributes[0] + "." + attributes[1] + " (" + device.info().architecture() + ")");
        details.put("multiprocessors", Integer.toString(attributes[2]));
        details.put("clock", attributes[3] / 1000 + " MHz");
        details.put("memory", GpuDescription.gibibytes(device.info().memoryBytes()));
        details.put("memory clock", attributes[4] / 1000 + " MHz");
        details.put("memory bus", attributes[5] + " bits");
        details.put("driver", "CUDA " + driverVersion / 1000 + "." + driverVersion % 1000 / 10);
        return new GpuDescription(CudaBackendProvider.NAME, device.info().name(), "GPU", true, "", details);
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
