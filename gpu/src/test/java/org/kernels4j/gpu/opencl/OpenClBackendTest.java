package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.testing.Requirements;

/** The OpenCL backend finds a platform and a device where an ICD is installed, and runs GEMM and convolution there. */
class OpenClBackendTest {
    private static final OpenClDeviceInfo CPU = new OpenClDeviceInfo(0, 0, "Portable Computing Language", "cpu", false, 2, 1L << 30, false, "6.0");
    private static final OpenClDeviceInfo GPU = new OpenClDeviceInfo(1, 0, "NVIDIA CUDA", "NVIDIA H100", true, 132, 80L << 30, true, "580.95");

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
                        "clGetDeviceInfo failed", "OpenCL discovery failed", "clCreateContext failed",
                        "clCreateCommandQueueWithProperties failed", OpenClDiscovery.DEVICE_VARIABLE).stream().anyMatch(reason::startsWith), reason);
            }
        }
    }

    @Test
    void runsEveryDtypePairOnAnAvailableDevice() {
        try (Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults());
             Tensor a = Tensor.fromFloats(DType.FP16, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor b = Tensor.fromFloats(DType.FP16, new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
             Tensor c = Tensor.fromFloats(DType.FP16, new float[] {1, 1, 1, 1}, 2, 2)) {
            Requirements.assumeAvailable("opencl", opencl.availability());
            assertEquals(Set.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8), opencl.device().dtypes());
            GemmSpec spec = GemmSpec.of(a, b).outType(DType.FP16).alpha(2f).beta(0.5f);
            assertTrue(opencl.supports(spec).available());
            opencl.gemm(spec, a, b, c);
            assertArrayEquals(new float[] {8.5f, 10.5f, 20.5f, 22.5f}, c.toFloatArray());
        }
    }

    @Test
    void runsAConvolution() {
        // One 3×3 image, two channels, one 2×2 filter of ones per group of one channel, plus bias: window sums.
        Conv2dSpec spec = Conv2dSpec.builder().n(1).c(2).k(2).groups(2).inputSize(3, 3).filterSize(2, 2).bias(true).build();
        try (Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults());
             Tensor x = Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 1, 0, 0, 0, 0}, spec.xShape());
             Tensor w = Tensor.fromFloats(DType.FP32, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, spec.wShape());
             Tensor bias = Tensor.fromFloats(DType.FP32, new float[] {0.5f, -1}, spec.biasShape());
             Tensor y = Tensor.allocate(DType.FP32, spec.yShape())) {
            Requirements.assumeAvailable("opencl", opencl.availability());
            assertTrue(opencl.supports(spec).available());
            opencl.conv2d(spec, x, w, bias, y);
            assertArrayEquals(new float[] {12.5f, 16.5f, 24.5f, 28.5f, 0, 0, 0, 0}, y.toFloatArray());
        }
    }

    @Test
    void convolvesNarrowGroupsDirectlyAndWideOnesAsAMatrixProduct() {
        OpenClGemmTiling tiling = new OpenClGemmTiling(64, 64, 16, 8, 8);
        Conv2dSpec.Builder shape = Conv2dSpec.builder().n(1).inputSize(8, 8).filterSize(3, 3);
        assertEquals(OpenClConv2d.Algorithm.DIRECT, OpenClConv2d.Algorithm.choose(shape.c(32).k(32).groups(32).build(), tiling));
        assertEquals(OpenClConv2d.Algorithm.DIRECT, OpenClConv2d.Algorithm.choose(shape.c(3).k(31).groups(1).build(), tiling));
        assertEquals(OpenClConv2d.Algorithm.IMPLICIT_GEMM, OpenClConv2d.Algorithm.choose(shape.c(3).k(32).groups(1).build(), tiling));
        assertEquals(OpenClConv2d.Algorithm.IMPLICIT_GEMM, OpenClConv2d.Algorithm.choose(shape.c(64).k(128).groups(2).build(), tiling));
        OpenClGemmTiling narrow = new OpenClGemmTiling(32, 32, 16, 8, 8);
        assertEquals(OpenClConv2d.Algorithm.IMPLICIT_GEMM, OpenClConv2d.Algorithm.choose(shape.c(3).k(16).groups(1).build(), narrow));
    }

    @Test
    void readsAndWritesTensorsOnTheJavaHeap() {
        // 2×2 · 2×2 into C with ld 3: the padding element of each row must keep its value.
        float[] cValues = {1, 1, -7, 1, 1, -7};
        try (Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults());
             Tensor a = Tensor.wrap(MemorySegment.ofArray(new float[] {1, 2, 3, 4}), DType.FP32, new long[] {2, 2}, new long[] {2, 1});
             Tensor b = Tensor.wrap(MemorySegment.ofArray(new float[] {1, 0, 1, 1}), DType.FP32, new long[] {2, 2}, new long[] {2, 1});
             Tensor c = Tensor.wrap(MemorySegment.ofArray(cValues), DType.FP32, new long[] {2, 2}, new long[] {3, 1})) {
            Requirements.assumeAvailable("opencl", opencl.availability());
            opencl.gemm(GemmSpec.of(a, b).ldc(3).beta(1f), a, b, c);
            assertArrayEquals(new float[] {4, 3, -7, 8, 5, -7}, cValues);
        }
    }

    @Test
    void refusesGemmAfterClose() {
        Backend opencl = new OpenClBackendProvider().create(BackendContext.defaults());
        Requirements.assumeAvailable("opencl", opencl.availability());
        opencl.close();
        opencl.close();
        try (Tensor a = Tensor.allocate(DType.FP32, 1, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> opencl.gemm(GemmSpec.of(a, a), a, a, a));
            assertEquals("opencl backend is closed", e.getMessage());
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
    void selectsTheDeviceTheVariableNames() {
        List<OpenClDeviceInfo> devices = List.of(CPU, GPU);
        assertEquals(Optional.of(GPU), OpenClDiscovery.select(devices, null));
        assertEquals(Optional.of(GPU), OpenClDiscovery.select(devices, " "));
        assertEquals(Optional.of(CPU), OpenClDiscovery.select(devices, "0:0"));
        assertEquals(Optional.of(GPU), OpenClDiscovery.select(devices, "1:0"));
        assertEquals(Optional.of(CPU), OpenClDiscovery.select(devices, "portable"));
        assertEquals(Optional.of(GPU), OpenClDiscovery.select(devices, " h100 "));
        assertEquals(Optional.empty(), OpenClDiscovery.select(devices, "2:0"));
        assertEquals("K4J_OPENCL_DEVICE='2:0' matches no OpenCL device (have: 0:0 Portable Computing Language / cpu,"
                + " 1:0 NVIDIA CUDA / NVIDIA H100)", OpenClDiscovery.noMatch(devices, "2:0"));
    }

    @Test
    void describesADeviceOnOneLine() {
        assertEquals("NVIDIA CUDA / NVIDIA H100 (132 compute units, 80.0 GiB, cl_khr_fp16)", GPU.description());
        assertEquals("Portable Computing Language / cpu (2 compute units, 1.0 GiB)", CPU.description());
    }
}
