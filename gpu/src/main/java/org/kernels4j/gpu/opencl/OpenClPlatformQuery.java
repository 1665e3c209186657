package org.kernels4j.gpu.opencl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.kernels4j.gpu.GpuDescription;

/**
 * Enumerates OpenCL platforms and devices through JOCL. Loading it loads JOCL's native
 * library, so callers reach it only after libOpenCL.so.1 was found and catch {@link LinkageError}.
 */
final class OpenClPlatformQuery {
    /** The answer: every device of every platform, or why there is none. */
    sealed interface Result {
        record Found(List<OpenClDeviceInfo> devices) implements Result {
            public Found {
                devices = List.copyOf(devices);
            }
        }

        record Failed(String reason) implements Result {
        }
    }

    private OpenClPlatformQuery() {
    }

    static Result devices() {
        // Error codes are part of the reasons we report, so JOCL must return them rather than throw.
        CL.setExceptionsEnabled(false);
        try {
            List<String> platformNames = new ArrayList<>();
            List<OpenClDeviceInfo> devices = new ArrayList<>();
            cl_platform_id[] platforms = platforms();
            if (platforms.length == 0) {
                return new Result.Failed(OpenClDiscovery.NO_PLATFORM);
            }
            for (int p = 0; p < platforms.length; p++) {
                String platformName = platformString(platforms[p], CL.CL_PLATFORM_NAME);
                platformNames.add(platformName);
                cl_device_id[] platformDevices = devices(platforms[p]);
                for (int d = 0; d < platformDevices.length; d++) {
                    devices.add(describe(p, d, platformName, platformDevices[d]));
                }
            }
            if (devices.isEmpty()) {
                return new Result.Failed("no OpenCL device on the platforms " + platformNames);
            }
            return new Result.Found(devices);
        } catch (CallFailed e) {
            return new Result.Failed(e.getMessage());
        }
    }

    /**
     * Every device of every platform as a report describes it: type, platform, driver and OpenCL versions, compute
     * units, clock, memory, fp16; whether {@code used} is the one the backend runs on.
     */
    static List<GpuDescription> describeAll(Optional<OpenClDeviceInfo> used) {
        CL.setExceptionsEnabled(false);
        cl_platform_id[] platforms = platforms();
        List<GpuDescription> descriptions = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platformName = platformString(platforms[p], CL.CL_PLATFORM_NAME);
            cl_device_id[] platformDevices = devices(platforms[p]);
            for (int d = 0; d < platformDevices.length; d++) {
                OpenClDeviceInfo info = describe(p, d, platformName, platformDevices[d]);
                cl_device_id device = platformDevices[d];
                int[] clock = new int[1];
                check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_MAX_CLOCK_FREQUENCY, Sizeof.cl_uint, Pointer.to(clock), null),
                        "clGetDeviceInfo");
                long[] type = new long[1];
                check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null), "clGetDeviceInfo");
                Map<String, String> details = new LinkedHashMap<>();
                details.put("platform", platformName);
                details.put("driver", deviceString(device, CL.CL_DRIVER_VERSION));
                details.put("version", openClVersion(deviceString(device, CL.CL_DEVICE_VERSION)));
                details.put("compute units", Integer.toString(info.computeUnits()));
                details.put("clock", clock[0] + " MHz");
                details.put("memory", GpuDescription.gibibytes(info.memoryBytes()));
                details.put("fp16", info.fp16() ? "yes (cl_khr_fp16)" : "no");
                details.put("used by the opencl backend", used.filter(u -> u.platformIndex() == info.platformIndex()
                        && u.deviceIndex() == info.deviceIndex()).isPresent() ? "yes" : "no");
                descriptions.add(new GpuDescription(OpenClBackendProvider.NAME, info.deviceName(), typeName(type[0]), true, "", details));
            }
        }
        return descriptions;
    }

    /** "OpenCL 3.0" of "OpenCL 3.0 PoCL HSTR: ..." (the rest is vendor-specific and long). */
    private static String openClVersion(String deviceVersion) {
        String[] words = deviceVersion.split(" ");
        return words.length >= 2 ? words[0] + " " + words[1] : deviceVersion;
    }

    private static String typeName(long type) {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        return (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "ACCELERATOR";
    }

    private static cl_platform_id[] platforms() {
        int[] count = new int[1];
        int status = CL.clGetPlatformIDs(0, null, count);
        if (status == CL.CL_PLATFORM_NOT_FOUND_KHR || count[0] == 0) {
            return new cl_platform_id[0];
        }
        check(status, "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        return platforms;
    }

    private static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        int status = CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        if (status == CL.CL_DEVICE_NOT_FOUND || count[0] == 0) {
            return new cl_device_id[0];
        }
        check(status, "clGetDeviceIDs");
        cl_device_id[] devices = new cl_device_id[count[0]];
        check(CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null), "clGetDeviceIDs");
        return devices;
    }

    private static OpenClDeviceInfo describe(int platformIndex, int deviceIndex, String platformName, cl_device_id device) {
        long[] type = new long[1];
        check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null), "clGetDeviceInfo");
        int[] computeUnits = new int[1];
        check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(computeUnits), null),
                "clGetDeviceInfo");
        long[] memory = new long[1];
        check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(memory), null),
                "clGetDeviceInfo");
        String extensions = deviceString(device, CL.CL_DEVICE_EXTENSIONS);
        return new OpenClDeviceInfo(platformIndex, deviceIndex, platformName, deviceString(device, CL.CL_DEVICE_NAME),
                (type[0] & CL.CL_DEVICE_TYPE_GPU) != 0, computeUnits[0], memory[0],
                List.of(extensions.split(" ")).contains("cl_khr_fp16"), deviceString(device, CL.CL_DRIVER_VERSION));
    }

    private static String platformString(cl_platform_id platform, int parameter) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(platform, parameter, 0, null, size), "clGetPlatformInfo");
        byte[] bytes = new byte[Math.toIntExact(size[0])];
        check(CL.clGetPlatformInfo(platform, parameter, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo");
        return cString(bytes);
    }

    private static String deviceString(cl_device_id device, int parameter) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(device, parameter, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[Math.toIntExact(size[0])];
        check(CL.clGetDeviceInfo(device, parameter, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).strip();
    }

    private static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new CallFailed(call + " failed: " + CL.stringFor_errorCode(status) + " (" + status + ")");
        }
    }

    /** Carries a failed call's reason out of the nested queries. */
    static final class CallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailed(String reason) {
            super(reason, null, false, false);
        }
    }
}
