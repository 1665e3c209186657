package org.kernels4j.gpu;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.gpu.cuda.CudaInventory;
import org.kernels4j.gpu.opencl.OpenClInventory;

/**
 * Every accelerator device the CUDA driver and the OpenCL platforms report, with what they say about it (for
 * {@code k4j report}'s machine section). Never throws: a backend without a driver or a device gives one entry with the
 * reason. Each call asks the drivers again.
 */
public final class GpuInventory {
    private GpuInventory() {
    }

    /** CUDA's devices (or why none), then OpenCL's, in driver order. */
    public static List<GpuDescription> describe() {
        List<GpuDescription> devices = new ArrayList<>(CudaInventory.describe());
        devices.addAll(OpenClInventory.describe());
        return List.copyOf(devices);
    }
}
