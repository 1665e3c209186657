package org.kernels4j.vector.gemm;

import java.util.Locale;
import java.util.Set;

/**
 * Tuning of the Vector API GEMM. Every field has an automatic value, taken when the field is {@link #AUTO}
 * (for the kernel) or 0 (for the block sizes): the FP32 kernel shape from the vector width, the block sizes
 * from the cache sizes. {@link #fromSystemProperties()} reads overrides from
 * {@code kernels4j.vector.gemm.kernel} ({@code auto}, {@code 4x2} or {@code 4x3}) and
 * {@code kernels4j.vector.gemm.kc}, {@code .mc}, {@code .nc} (integers in [1, 65536]).
 *
 * @param floatKernel FP32 micro-kernel shape, rows × vectors: {@code auto}, {@code 4x2} or {@code 4x3}
 * @param kc          depth of a packed block (the reduction slice kept in L1 per B micro-panel), or 0
 * @param mc          rows of a packed A block (kept in L2), or 0; rounded up to the kernel's rows
 * @param nc          columns of a packed B block (kept in L3), or 0; rounded up to the kernel's columns
 */
public record GemmConfig(String floatKernel, int kc, int mc, int nc) {
    public static final String AUTO = "auto";
    public static final String PROPERTY_PREFIX = "kernels4j.vector.gemm.";

    static final String KERNEL_4X2 = "4x2";
    static final String KERNEL_4X3 = "4x3";
    /** Larger blocks could not be packed in a Java array anyway (kc·nc elements). */
    static final int MAX_BLOCK = 1 << 16;
    private static final Set<String> KERNELS = Set.of(AUTO, KERNEL_4X2, KERNEL_4X3);
    /** Everything chosen automatically. */
    public static final GemmConfig AUTOMATIC = new GemmConfig(AUTO, 0, 0, 0);

    public GemmConfig {
        if (floatKernel == null || !KERNELS.contains(floatKernel)) {
            throw new IllegalArgumentException("floatKernel: '" + floatKernel + "' is not one of auto, 4x2, 4x3");
        }
        requireBlock("kc", kc);
        requireBlock("mc", mc);
        requireBlock("nc", nc);
    }

    /** The configuration the system properties ask for; fails naming a property whose value is not valid. */
    public static GemmConfig fromSystemProperties() {
        String kernel = System.getProperty(PROPERTY_PREFIX + "kernel", AUTO).trim().toLowerCase(Locale.ROOT);
        if (!KERNELS.contains(kernel)) {
            throw new IllegalArgumentException(PROPERTY_PREFIX + "kernel: '" + kernel + "' is not one of auto, 4x2, 4x3");
        }
        return new GemmConfig(kernel, intProperty("kc"), intProperty("mc"), intProperty("nc"));
    }

    private static int intProperty(String name) {
        String key = PROPERTY_PREFIX + name;
        String value = System.getProperty(key);
        if (value == null) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0 && parsed <= MAX_BLOCK) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not an integer in [1, " + MAX_BLOCK + "]");
    }

    private static void requireBlock(String name, int value) {
        if (value < 0 || value > MAX_BLOCK) {
            throw new IllegalArgumentException(name + ": " + value + " is outside [0, " + MAX_BLOCK + "] (0 chooses automatically)");
        }
    }
}
