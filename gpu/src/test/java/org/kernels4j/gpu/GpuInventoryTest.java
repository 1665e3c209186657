package org.kernels4j.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kernels4j.Availability;
import org.kernels4j.testing.Requirements;

/** What the drivers say about each accelerator: CUDA's devices or why none, and every OpenCL device with its details. */
@Timeout(60)
class GpuInventoryTest {
    private static final List<String> CUDA_DETAILS = List.of("device", "compute capability", "multiprocessors", "clock", "memory",
            "memory clock", "memory bus", "driver");
    private static final List<String> OPENCL_DETAILS = List.of("platform", "driver", "version", "compute units", "clock", "memory",
            "fp16", "used by the opencl backend");

    @Test
    void describesEachBackendsDevicesOrSaysWhyThereAreNone() {
        List<GpuDescription> devices = GpuInventory.describe();
        for (String backend : List.of("cuda", "opencl")) {
            List<GpuDescription> ofBackend = devices.stream().filter(d -> d.backend().equals(backend)).toList();
            assertFalse(ofBackend.isEmpty(), () -> backend + " is listed: " + devices);
            for (GpuDescription device : ofBackend) {
                if (device.name().equals("(no device)")) {
                    assertFalse(device.available(), device::toString);
                    assertFalse(device.reason().isBlank(), device::toString);
                } else {
                    assertEquals(backend.equals("cuda") ? CUDA_DETAILS : OPENCL_DETAILS, List.copyOf(device.details().keySet()), device::toString);
                }
            }
        }
    }

    @Test
    void namesTheOpenClDeviceTheBackendUses() {
        List<GpuDescription> opencl = GpuInventory.describe().stream().filter(d -> d.backend().equals("opencl")).toList();
        Requirements.assumeAvailable("opencl", opencl.getFirst().available() ? Availability.yes() : Availability.no(opencl.getFirst().reason()));
        assertEquals(1, opencl.stream().filter(d -> d.details().get("used by the opencl backend").equals("yes")).count(), opencl::toString);
        assertTrue(opencl.stream().allMatch(d -> List.of("GPU", "CPU", "ACCELERATOR").contains(d.kind())), opencl::toString);
        assertTrue(opencl.stream().allMatch(d -> Integer.parseInt(d.details().get("compute units")) > 0), opencl::toString);
    }

    @Test
    void refusesAReasonForAnAvailableDevice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GpuDescription("cuda", "x", "GPU", true, "broken", Map.of()));
        assertTrue(e.getMessage().startsWith("reason: 'broken'"), e::getMessage);
    }
}
