package org.kernels4j.report;

import java.util.List;
import java.util.Locale;

/**
 * The processor, as {@link CpuProbe} read it.
 *
 * @param model             model name
 * @param vendor            vendor id (GenuineIntel, AuthenticAMD, an ARM implementer), "" when unknown
 * @param family            x86 "cpu family" (25 for AMD Zen 3/4, 26 for Zen 5; 6 for most Intel), 0 when unknown
 * @param architecture      os.arch (amd64, aarch64)
 * @param logicalProcessors processors the JVM may use
 * @param physicalCores     distinct cores among them (SMT siblings share FMA units), at least 1
 * @param ghz               clock used for peak estimates, 0 when unknown
 * @param ghzSource         where {@code ghz} came from
 * @param vectorBits        widest SIMD register width the features allow (512, 256, 128), 0 when unknown
 * @param features          SIMD and matrix features found (AVX2, AVX-512F, AVX-512 BF16, AMX-INT8, NEON, ...)
 * @param caches            caches of the first processor
 */
public record Cpu(String model, String vendor, int family, String architecture, int logicalProcessors, int physicalCores, double ghz,
                  String ghzSource, int vectorBits, List<String> features, List<Cache> caches) {
    public Cpu {
        Fields.text("model", model);
        vendor = vendor == null ? "" : vendor;
        Fields.atLeast("family", family, 0);
        Fields.text("architecture", architecture);
        Fields.atLeast("logicalProcessors", logicalProcessors, 1);
        Fields.atLeast("physicalCores", physicalCores, 1);
        if (!(ghz >= 0) || Double.isInfinite(ghz)) {
            throw new IllegalArgumentException("ghz: " + ghz + " is not a clock rate");
        }
        ghzSource = ghzSource == null ? "" : ghzSource;
        Fields.atLeast("vectorBits", vectorBits, 0);
        features = Fields.list(features);
        caches = Fields.list(caches);
    }

    public boolean has(String feature) {
        return features.contains(feature);
    }

    String summary() {
        return model + ", " + physicalCores + (physicalCores == 1 ? " core" : " cores") + " (" + logicalProcessors
                + " logical processors)" + (ghz > 0 ? String.format(Locale.ROOT, ", %.2f GHz", ghz) : "")
                + (vectorBits > 0 ? ", " + vectorBits + "-bit vectors" : "");
    }

    /**
     * One cache.
     *
     * @param level       1, 2, 3
     * @param type        Data, Instruction or Unified
     * @param bytes       size
     * @param sharedBy    logical processors sharing it
     */
    public record Cache(int level, String type, long bytes, int sharedBy) {
        public Cache {
            Fields.atLeast("level", level, 1);
            Fields.text("type", type);
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes: " + bytes + " is less than 1");
            }
            Fields.atLeast("sharedBy", sharedBy, 1);
        }
    }
}
