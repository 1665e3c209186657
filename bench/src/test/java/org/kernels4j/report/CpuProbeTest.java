package org.kernels4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading /proc/cpuinfo text, and the peak estimates made from it. */
class CpuProbeTest {
    private static final String XEON = """
            processor	: 0
            vendor_id	: GenuineIntel
            cpu family	: 6
            model name	: Intel(R) Xeon(R) Platinum 8480+ @ 2.00GHz
            physical id	: 0
            core id		: 0
            cpu MHz		: 2000.000
            flags		: fpu sse4_2 avx avx2 fma f16c avx512f avx512bw avx512vl avx512_vnni avx512_bf16 avx512_fp16 amx_tile amx_bf16 amx_int8

            processor	: 1
            physical id	: 0
            core id		: 0
            cpu MHz		: 3100.000

            processor	: 2
            physical id	: 0
            core id		: 1
            cpu MHz		: 2000.000
            """;
    private static final String ZEN4 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 25
            model name	: AMD EPYC 9R14 96-Core Processor
            core id		: 0
            flags		: sse4_2 avx avx2 fma f16c avx512f avx512_bf16 avx512_vnni
            """;

    @Test
    void readsModelFeaturesCoresAndClock() {
        Cpu cpu = CpuProbe.parse(XEON, "amd64", 3, Optional.empty(), List.of());
        assertEquals("Intel(R) Xeon(R) Platinum 8480+ @ 2.00GHz", cpu.model());
        assertEquals("GenuineIntel", cpu.vendor());
        assertEquals(6, cpu.family());
        assertEquals(3, cpu.logicalProcessors());
        assertEquals(2, cpu.physicalCores(), "hyper-threads share a core");
        assertEquals(3.1, cpu.ghz(), 1e-12, "the highest cpu MHz without cpufreq");
        assertTrue(cpu.ghzSource().startsWith("cpu MHz in /proc/cpuinfo"), cpu.ghzSource());
        assertEquals(512, cpu.vectorBits());
        assertEquals(List.of("SSE4.2", "AVX", "AVX2", "FMA", "F16C", "AVX-512F", "AVX-512BW", "AVX-512VL", "AVX-512 VNNI",
                "AVX-512 BF16", "AVX-512 FP16", "AMX-TILE", "AMX-BF16", "AMX-INT8"), cpu.features());
        assertEquals(3.8, CpuProbe.parse(XEON, "amd64", 3, Optional.of(3.8), List.of()).ghz(), 1e-12, "cpufreq's maximum comes first");
        assertEquals(2.0, CpuProbe.parse(XEON.replaceAll("cpu MHz.*", ""), "amd64", 3, Optional.empty(), List.of()).ghz(), 1e-12,
                "the model name's clock comes last");
    }

    @Test
    void estimatesPeaksPerDtypeFromUnitsAndLanes() {
        Cpu xeon = CpuProbe.parse(XEON, "amd64", 3, Optional.of(2.0), List.of());
        List<Peak> peaks = PeakEstimator.cpuPeaks(xeon);
        assertEquals(List.of("fp32", "fp16", "bf16", "int8"), peaks.stream().map(Peak::dtype).toList());
        // 2 cores × 2 GHz × 2 units × lanes × 2: 512-bit lanes are 16 FP32, 32 FP16/BF16 (native FP16, BF16 dot), 64 INT8 (VNNI).
        assertEquals(List.of(256.0, 512.0, 512.0, 1024.0), peaks.stream().map(Peak::value).toList());
        assertEquals("GOP/s", peaks.get(3).unit());
        assertTrue(peaks.get(3).basis().contains("AMX tiles not counted"), peaks.get(3).basis());
        assertEquals(128.0, peaks.getFirst().forThreads(1), 1e-9);
        assertEquals(256.0, peaks.getFirst().forThreads(64), 1e-9, "threads beyond the cores add nothing");

        Cpu zen4 = CpuProbe.parse(ZEN4, "amd64", 1, Optional.of(3.0), List.of());
        List<Peak> zen4Peaks = PeakEstimator.cpuPeaks(zen4);
        // Zen 4 runs AVX-512 on two 256-bit units: 1 core × 3 GHz × 2 × 8 FP32 lanes × 2; FP16 without native FMA is converted to FP32.
        assertEquals(List.of(96.0, 96.0, 192.0, 384.0), zen4Peaks.stream().map(Peak::value).toList());
        assertTrue(zen4Peaks.getFirst().basis().startsWith("AMD before Zen 5"), zen4Peaks.getFirst().basis());
    }

    @Test
    void makesNoEstimateWithoutAClockOrAVectorWidth() {
        assertEquals(List.of(), PeakEstimator.cpuPeaks(CpuProbe.parse("", "riscv64", 4, Optional.empty(), List.of())));
        Cpu noFlags = CpuProbe.parse("model name : Mystery\ncpu MHz : 1000\n", "amd64", 1, Optional.empty(), List.of());
        assertEquals(0, noFlags.vectorBits());
        assertEquals(List.of(), PeakEstimator.cpuPeaks(noFlags));
    }

    @Test
    void parsesSysfsSizesAndProcessorLists() {
        assertEquals(Optional.of(32L * 1024), CpuProbe.parseSize("32K"));
        assertEquals(Optional.of(32L << 20), CpuProbe.parseSize("32M"));
        assertEquals(Optional.empty(), CpuProbe.parseSize("lots"));
        assertEquals(1, CpuProbe.countProcessors("0"));
        assertEquals(6, CpuProbe.countProcessors("0-3,8,10"));
    }
}
