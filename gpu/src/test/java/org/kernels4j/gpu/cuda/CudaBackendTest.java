package org.kernels4j.gpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.Tensor;
import org.kernels4j.gpu.SharedLibraries;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;

/** The CUDA backend loads everywhere and says truthfully whether it can run, and why not. */
class CudaBackendTest {
    private static final List<String> REASONS = List.of("no libcuda.so.1 found", "native access to libcuda.so.1 denied",
            "JCuda's native library did not load", "cuInit failed: CUDA_ERROR_", "cuDeviceGetCount failed: CUDA_ERROR_",
            "no CUDA device", "querying CUDA device 0 failed: CUDA_ERROR_", "built without nvcc",
            "the CUDA fatbin has no code for", "the CUDA fatbin is unreadable", "loading the kernels4j module: cu");

    @Test
    void reportsAKnownReasonWhenUnavailable() {
        try (Backend cuda = new CudaBackendProvider().create(BackendContext.defaults())) {
            Availability availability = cuda.availability();
            assertEquals("cuda", cuda.name());
            assertEquals(Device.Kind.GPU, cuda.device().kind());
            if (!availability.available()) {
                assertTrue(REASONS.stream().anyMatch(availability.reason()::startsWith), availability.reason());
            }
        }
    }

    @Test
    void withoutTheDriverTheReasonNamesIt() {
        boolean driverInstalled = SharedLibraries.probe("libcuda.so.1", "-").available();
        assumeFalse(driverInstalled, "libcuda.so.1 is installed here");
        try (Backend cuda = new CudaBackendProvider().create(BackendContext.defaults())) {
            assertEquals(Availability.no("no libcuda.so.1 found (NVIDIA driver not installed)"), cuda.availability());
            assertEquals("(no device)", cuda.device().name());
        }
    }

    @Test
    void supportsIsTruthfulAndOperandsAreCheckedBeforeAvailability() {
        try (Backend cuda = new CudaBackendProvider().create(BackendContext.defaults());
             Tensor a = Tensor.allocate(DType.FP32, 2, 3);
             Tensor b = Tensor.allocate(DType.FP32, 3, 4);
             Tensor c = Tensor.allocate(DType.FP32, 2, 4)) {
            GemmSpec spec = GemmSpec.of(a, b);
            Availability verdict = cuda.supports(spec);
            assertEquals(cuda.availability().available(), verdict.available(), "an available CUDA backend runs every small GEMM");
            if (!cuda.availability().available()) {
                assertEquals(cuda.availability(), verdict);
                BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> cuda.gemm(spec, a, b, c));
                assertEquals("cuda: " + verdict.reason(), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cuda.gemm(spec, b, a, c),
                    "operands are checked first");
            assertTrue(e.getMessage().startsWith("a.shape: [3, 4]"), e.getMessage());
            assertThrows(NullPointerException.class, () -> cuda.supports((GemmSpec) null));
            assertThrows(NullPointerException.class, () -> cuda.supports((Conv2dSpec) null));
        }
    }

    @Test
    void listsItsDtypesExactlyWhenAvailable() {
        try (Backend cuda = new CudaBackendProvider().create(BackendContext.defaults())) {
            Set<DType> expected = cuda.availability().available() ? CudaDiscovery.DTYPES : Set.of();
            assertEquals(expected, cuda.device().dtypes());
            assertEquals(cuda.availability().available(), cuda instanceof CudaBackend, "an available device gets the real backend");
        }
    }

    @Test
    void isListedByDiscoveryWithoutHidingTheOtherBackends() {
        try (Kernels kernels = Kernels.open(1)) {
            List<Device> devices = kernels.devices();
            Device cuda = devices.stream().filter(d -> d.backend().equals("cuda")).findFirst().orElseThrow();
            assertTrue(devices.stream().anyMatch(d -> d.backend().equals("reference") && d.availability().available()),
                    devices.toString());
            assertTrue(devices.indexOf(cuda) < devices.size() - 1, "cuda ranks above the reference: " + devices);
            if (!cuda.availability().available()) {
                BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> kernels.backend("cuda"));
                assertEquals("cuda: " + cuda.availability().reason(), e.getMessage());
            }
        }
    }
}
