package org.kernels4j.vector.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.vector.CpuInfo;

class GemmConfigTest {
    @Test
    void readsOverridesFromSystemProperties() {
        withProperties(() -> assertEquals(new GemmConfig("4x3", 64, 32, 128), GemmConfig.fromSystemProperties()),
                "kernel", " 4X3 ", "kc", "64", "mc", "32", "nc", "128");
        withProperties(() -> assertEquals(GemmConfig.AUTOMATIC, GemmConfig.fromSystemProperties()));
    }

    @Test
    void namesTheBadPropertyAndItsValue() {
        withProperties(() -> assertEquals("kernels4j.vector.gemm.kc: 'deep' is not an integer in [1, 65536]",
                assertThrows(IllegalArgumentException.class, GemmConfig::fromSystemProperties).getMessage()), "kc", "deep");
        withProperties(() -> assertEquals("kernels4j.vector.gemm.nc: '0' is not an integer in [1, 65536]",
                assertThrows(IllegalArgumentException.class, GemmConfig::fromSystemProperties).getMessage()), "nc", "0");
        withProperties(() -> assertEquals("kernels4j.vector.gemm.kernel: '8x2' is not one of auto, 4x2, 4x3",
                assertThrows(IllegalArgumentException.class, GemmConfig::fromSystemProperties).getMessage()), "kernel", "8x2");
    }

    @Test
    void validatesItsFields() {
        assertEquals("mc: -1 is outside [0, 65536] (0 chooses automatically)",
                assertThrows(IllegalArgumentException.class, () -> new GemmConfig("auto", 0, -1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig("auto", 1 << 17, 0, 0));
    }

    @Test
    void automaticBlocksFollowTheCachesAndFitTheKernel() {
        CpuInfo epyc = new CpuInfo("test", 512 * 1024, 32 * 1024 * 1024);
        assertEquals(new BlockSizes(1024, 128, 4096), BlockSizes.choose(new FloatKernel4x2(), epyc, GemmConfig.AUTOMATIC));
        BlockSizes small = BlockSizes.choose(new FloatKernel4x3(), new CpuInfo("test", 64 * 1024, 1024 * 1024), GemmConfig.AUTOMATIC);
        assertEquals(256, small.kc());
        assertEquals(0, small.mc() % 4);
        assertEquals(0, small.nc() % new FloatKernel4x3().columns());
        BlockSizes explicit = BlockSizes.choose(new FloatKernel4x2(), epyc, new GemmConfig("auto", 16, 7, 17));
        int nr = new FloatKernel4x2().columns();
        assertEquals(new BlockSizes(16, 8, Math.ceilDiv(17, nr) * nr), explicit);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> BlockSizes.choose(new FloatKernel4x2(), epyc, new GemmConfig("auto", 65536, 0, 65536)));
        assertTrue(tooLarge.getMessage().startsWith("block sizes: kc = 65536"), tooLarge.getMessage());
    }

    @Test
    void int8SlicesAreNeverDeeperThanExactFloatSumsAllow() {
        CpuInfo epyc = new CpuInfo("test", 512 * 1024, 32 * 1024 * 1024);
        FloatKernel4x2 kernel = new FloatKernel4x2();
        assertEquals(BlockSizes.choose(kernel, epyc, GemmConfig.AUTOMATIC),
                BlockSizes.chooseForExactInt8(kernel, epyc, GemmConfig.AUTOMATIC));
        GemmConfig deep = new GemmConfig("auto", 4096, 0, 0);
        assertEquals(4096, BlockSizes.choose(kernel, epyc, deep).kc());
        assertEquals(BlockSizes.choose(kernel, epyc, new GemmConfig("auto", BlockSizes.MAX_EXACT_INT8_KC, 0, 0)),
                BlockSizes.chooseForExactInt8(kernel, epyc, deep));
        assertEquals(new BlockSizes(16, 8, 32), BlockSizes.chooseForExactInt8(kernel, epyc, new GemmConfig("auto", 16, 8, 32)));
    }

    /** Runs {@code check} with {@code kernels4j.vector.gemm.*} set to the given name/value pairs and nothing else. */
    private static void withProperties(Runnable check, String... namesAndValues) {
        String[] names = {"kernel", "kc", "mc", "nc"};
        for (String name : names) {
            System.clearProperty(GemmConfig.PROPERTY_PREFIX + name);
        }
        try {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                System.setProperty(GemmConfig.PROPERTY_PREFIX + namesAndValues[i], namesAndValues[i + 1]);
            }
            check.run();
        } finally {
            for (String name : names) {
                System.clearProperty(GemmConfig.PROPERTY_PREFIX + name);
            }
        }
    }
}
