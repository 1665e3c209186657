package org.kernels4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Estimates a CPU's peak rate per dtype as {@code cores × GHz × FMA units × lanes × 2}:
 * <ul>
 *   <li>cores: {@link Cpu#physicalCores()} among the processors the JVM may use (SMT siblings share the FMA units);</li>
 *   <li>GHz: {@link Cpu#ghz()} (see {@link CpuProbe} for where it comes from);</li>
 *   <li>FMA units of width W per core: Intel with AVX-512, 2 × 512 bits (Xeon Scalable Gold/Platinum; some
 *       smaller parts have one); AMD with AVX-512, 2 × 256 bits before Zen 5 (family 26), which has 2 × 512;
 *       AVX2 with FMA, 2 × 256; AVX without FMA, 1 × 256 (separate multiply and add); NEON, 2 × 128; other
 *       SIMD, 1 × its width;</li>
 *   <li>lanes, the multiply-adds one unit does per cycle: FP32 W/32; FP16 W/16 with native FP16 FMA
 *       (AVX-512 FP16, NEON FP16), else W/32 (converted to FP32); BF16 W/16 with a BF16 dot product
 *       (AVX-512 BF16 {@code vdpbf16ps}, ARM BF16), else W/32; INT8 W/8 with a 4-way byte dot product
 *       (AVX-512 VNNI / AVX-VNNI {@code vpdpbusd}, ARM DOTPROD), else W/16 ({@code vpmaddubsw}).</li>
 * </ul>
 * AMX tiles are not counted: no JVM code path reaches them. No estimate is made without a clock or a known
 * vector width. Each {@link Peak#basis()} says which of these rules it used.
 */
public final class PeakEstimator {
    public static final String CPU = "CPU";

    private PeakEstimator() {
    }

    public static List<Peak> cpuPeaks(Cpu cpu) {
        Objects.requireNonNull(cpu, "cpu");
        List<Peak> peaks = new ArrayList<>();
        if (cpu.ghz() <= 0 || cpu.vectorBits() == 0) {
            return peaks;
        }
        FmaUnits units = units(cpu);
        String amx = cpu.has("AMX-TILE") ? "; AMX tiles not counted" : "";
        peaks.add(peak(cpu, units, "fp32", units.width / 32, "FP32 FMA"));
        peaks.add(cpu.has("AVX-512 FP16") || cpu.has("NEON FP16")
                ? peak(cpu, units, "fp16", units.width / 16, "native FP16 FMA")
                : peak(cpu, units, "fp16", units.width / 32, "converted to FP32, FP32 FMA"));
        peaks.add(cpu.has("AVX-512 BF16") || cpu.has("BF16")
                ? peak(cpu, units, "bf16", units.width / 16, "BF16 dot product (2 products per FP32 lane)" + amx)
                : peak(cpu, units, "bf16", units.width / 32, "converted to FP32, FP32 FMA" + amx));
        peaks.add(cpu.has("AVX-512 VNNI") || cpu.has("AVX-VNNI") || cpu.has("DOTPROD")
                ? peak(cpu, units, "int8", units.width / 8, "INT8 dot product (4 products per INT32 lane)" + amx)
                : peak(cpu, units, "int8", units.width / 16, "byte multiply-add pairs (2 products per 16-bit lane)" + amx));
        return peaks;
    }

    /** FMA units per core and their width in bits, with the rule that gave them. */
    private record FmaUnits(int count, int width, String rule) {
    }

    private static FmaUnits units(Cpu cpu) {
        boolean amd = cpu.vendor().equals("AuthenticAMD");
        if (cpu.has("AVX-512F")) {
            if (amd && cpu.family() < 26) {
                return new FmaUnits(2, 256, "AMD before Zen 5: AVX-512 on 2 × 256-bit FMA units");
            }
            return new FmaUnits(2, 512, amd ? "AMD Zen 5: 2 × 512-bit FMA units" : "Intel AVX-512: 2 × 512-bit FMA units assumed");
        }
        if (cpu.has("AVX2") && cpu.has("FMA")) {
            return new FmaUnits(2, 256, "AVX2: 2 × 256-bit FMA units");
        }
        if (cpu.has("AVX")) {
            return new FmaUnits(1, 256, "AVX without FMA: 1 × 256-bit multiply + add");
        }
        if (cpu.has("NEON")) {
            return new FmaUnits(2, 128, "NEON: 2 × 128-bit FMA units assumed");
        }
        return new FmaUnits(1, cpu.vectorBits(), "1 × " + cpu.vectorBits() + "-bit unit assumed");
    }

    private static Peak peak(Cpu cpu, FmaUnits units, String dtype, int lanes, String instructions) {
        double value = cpu.physicalCores() * cpu.ghz() * units.count * lanes * 2;
        return new Peak(CPU, cpu.model(), dtype, dtype.equals("int8") ? "GOP/s" : "GFLOP/s", value, cpu.physicalCores(),
                cpu.ghz(), units.count, lanes, units.rule + "; " + lanes + " lanes: " + instructions);
    }
}
