package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Requirements;

/** The OpenCL backend finds a platform and a device where an ICD is installed, and is honest about GEMM. */
class OpenClBackendTest {
    private static final OpenClDeviceInfo CPU = new OpenClDeviceInfo(0, 0, "Portable Computing Language", "cpu", false, 2, 1L << 30, false);
    private static final OpenClDeviceInfo GPU = new OpenClDeviceInfo(1, 0, "NVIDIA CUDA", "NVIDIA H100", true, 132, 80L << 30, true);

    @Test
    void findsAPlatformAndADevice() {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        try (Backend opencl = provider.create(BackendContext.defaults())) {
            Requirements.assumeAvailable("opencl", opencl.availability());
            String name = opencl.device().name();
            assertTrue(name.matches(".+ / .+ \\(\\d+ compute units, .+ GiB.*\\)"), name);
            int expectedPriority = opencl.device().kind() == Device.Kind.GPU
                    ? OpenClBackendProvider.GPU_PRIORITY : OpenClBackendProvider.CPU_PRIORITY;
            assertEquals(expectedPriority, provider.priority());
        }
    }

    @Test
    void reportsTheReasonWhenUnavailable() {
        try (Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults())) {
            if (!opencl.availability().available()) {
                String reason = opencl.availability().reason();
                assertTrue(List.of("no libOpenCL.so.1 found", "native access to libOpenCL.so.1 denied",
                        "JOCL's native library did not load", OpenClDiscovery.NO_PLATFORM, "no OpenCL device",
                        "clGetPlatformIDs failed", "clGetDeviceIDs failed", "clGetPlatformInfo failed",
                        "clGetDeviceInfo failed", "OpenCL discovery failed").stream().anyMatch(reason::startsWith), reason);
            }
        }
    }

    @Test
    void neverComputesAGemmInThisBuild() {
        try (Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults());
             Tensor a = Tensor.allocate(DType.FP16, 2, 3);
             Tensor b = Tensor.allocate(DType.FP16, 3, 4);
             Tensor c = Tensor.allocate(DType.FP32, 2, 4)) {
            GemmSpec spec = GemmSpec.of(a, b);
            String reason = opencl.supports(spec).reason();
            assertFalse(opencl.supports(spec).available());
            if (opencl.availability().available()) {
                assertEquals(OpenClBackendProvider.GEMM_MISSING, reason);
            }
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> opencl.gemm(spec, a, b, c));
            assertEquals("opencl: " + reason, e.getMessage());
        }
    }

    @Test
    void isListedByDiscoveryBesideTheOthers() {
        try (Kernels kernels = Kernels.open(1)) {
            List<String> names = kernels.devices().stream().map(Device::backend).toList();
            assertTrue(names.containsAll(List.of("cuda", "opencl", "reference")), names.toString());
            assertEquals("reference", names.getLast(), "the reference stays last: " + names);
        }
    }

    @Test
    void prefersTheFirstGpuThenTheFirstDevice() {
        assertEquals(Optional.of(GPU), OpenClDiscovery.preferred(List.of(CPU, GPU)));
        assertEquals(Optional.of(CPU), OpenClDiscovery.preferred(List.of(CPU)));
        assertEquals(Optional.empty(), OpenClDiscovery.preferred(List.of()));
    }

    @Test
    void describesADeviceOnOneLine() {
        assertEquals("NVIDIA CUDA / NVIDIA H100 (132 compute units, 80.0 GiB, cl_khr_fp16)", GPU.description());
        assertEquals("Portable Computing Language / cpu (2 compute units, 1.0 GiB)", CPU.description());
    }
}
