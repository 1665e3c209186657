package org.kernels4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.DType;
import org.kernels4j.testing.Requirements;

/** Building programs on the preferred device: every GEMM variant compiles, and a broken source says why. */
class OpenClDeviceContextTest {
    @Test
    void aBuildFailureCarriesTheCompilerLog() {
        try (OpenClDeviceContext context = OpenClDeviceContext.open(preferredDevice())) {
            OpenClBuildException e = assertThrows(OpenClBuildException.class,
                    () -> context.build("__kernel void k4j_broken(__global float* x) { x[0] = undeclared_name; }", "-D K4J_TEST"));
            assertFalse(e.buildLog().isBlank(), "empty build log");
            assertTrue(e.buildLog().contains("undeclared_name"), e.buildLog());
            assertTrue(e.getMessage().startsWith("clBuildProgram failed: CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
            assertTrue(e.getMessage().contains("-D K4J_TEST") && e.getMessage().contains(e.buildLog()), e.getMessage());
        }
    }

    @Test
    void gemmNeedsItsTilingOptions() {
        try (OpenClDeviceContext context = OpenClDeviceContext.open(preferredDevice())) {
            OpenClBuildException e = assertThrows(OpenClBuildException.class,
                    () -> context.build(OpenClSources.tiledProgram(OpenClSources.GEMM), "-D K4J_IN_FP32"));
            assertTrue(e.buildLog().contains("gemm_tiles.cl needs -D K4J_TILE_M"), e.buildLog());
        }
    }

    @Test
    void rejectsAnInt32OutputForFloatingInputs() {
        try (OpenClDeviceContext context = OpenClDeviceContext.open(preferredDevice())) {
            OpenClBuildException e = assertThrows(OpenClBuildException.class,
                    () -> context.build(OpenClSources.tiledProgram(OpenClSources.GEMM),
                            OpenClGemmTiling.forDevice(preferredDevice()).buildOptions(DType.FP32, DType.INT32)));
            assertTrue(e.buildLog().contains("K4J_OUT_INT32 needs K4J_IN_INT8"), e.buildLog());
        }
    }

    private static OpenClDeviceInfo preferredDevice() {
        OpenClDiscovery.Discovered discovered = OpenClDiscovery.discover();
        Requirements.assumeAvailable(OpenClBackendProvider.NAME, discovered.device().availability());
        return discovered.chosen().orElseThrow();
    }
}
