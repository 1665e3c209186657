package org.kernels4j.gpu.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_PROGRAM_KERNEL_NAMES;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.CL_TRUE;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * Just enough OpenCL host code for tests: one device, one program built from source, and a runner for
 * kernels of the shape {@code (const T* a, const T* b, T* out, ulong n)}.
 */
final class OpenClProgram implements AutoCloseable {
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;

    OpenClProgram(OpenClDeviceInfo info, String source) {
        CL.setExceptionsEnabled(true);
        cl_platform_id[] platforms = new cl_platform_id[info.platformIndex() + 1];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        cl_device_id[] devices = new cl_device_id[info.deviceIndex() + 1];
        CL.clGetDeviceIDs(platforms[info.platformIndex()], CL.CL_DEVICE_TYPE_ALL, devices.length, devices, null);
        cl_device_id device = devices[info.deviceIndex()];
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, platforms[info.platformIndex()]);
        context = CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, null);
        queue = CL.clCreateCommandQueueWithProperties(context, device, null, null);
        program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        CL.setExceptionsEnabled(false);
        int status = CL.clBuildProgram(program, 0, null, null, null, null);
        CL.setExceptionsEnabled(true);
        if (status != CL_SUCCESS) {
            String log = infoString(size -> CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size),
                    (size, bytes) -> CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, Pointer.to(bytes), null));
            close();
            throw new IllegalStateException("clBuildProgram: " + CL.stringFor_errorCode(status) + "\n" + log);
        }
    }

    Set<String> kernelNames() {
        String names = infoString(size -> CL.clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, 0, null, size),
                (size, bytes) -> CL.clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, size, Pointer.to(bytes), null));
        return Set.of(names.split(";"));
    }

    /** Runs {@code kernel(a, b, out, n)} on {@code globalSize} work-items and returns out; out aliases a when asked. */
    byte[] run(String kernelName, byte[] a, byte[] b, int elementSize, int globalSize, boolean outAliasesA) {
        long n = a.length / elementSize;
        cl_mem bufferA = CL.clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, a.length, Pointer.to(a), null);
        cl_mem bufferB = CL.clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, b.length, Pointer.to(b), null);
        cl_mem bufferOut = outAliasesA ? bufferA : CL.clCreateBuffer(context, CL_MEM_READ_WRITE, a.length, null, null);
        cl_kernel kernel = CL.clCreateKernel(program, kernelName, null);
        try {
            CL.clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(bufferA));
            CL.clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(bufferB));
            CL.clSetKernelArg(kernel, 2, Sizeof.cl_mem, Pointer.to(bufferOut));
            CL.clSetKernelArg(kernel, 3, Sizeof.cl_ulong, Pointer.to(new long[] {n}));
            CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {globalSize}, null, 0, null, null);
            byte[] out = new byte[a.length];
            CL.clEnqueueReadBuffer(queue, bufferOut, CL_TRUE, 0, out.length, Pointer.to(out), 0, null, null);
            return out;
        } finally {
            CL.clReleaseKernel(kernel);
            if (!outAliasesA) {
                CL.clReleaseMemObject(bufferOut);
            }
            CL.clReleaseMemObject(bufferB);
            CL.clReleaseMemObject(bufferA);
        }
    }

    @Override
    public void close() {
        CL.clReleaseProgram(program);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }

    private interface SizeQuery {
        void size(long[] size);
    }

    private interface ValueQuery {
        void value(long size, byte[] bytes);
    }

    private static String infoString(SizeQuery sizeQuery, ValueQuery valueQuery) {
        long[] size = new long[1];
        sizeQuery.size(size);
        byte[] bytes = new byte[Math.toIntExact(size[0])];
        valueQuery.value(bytes.length, bytes);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
