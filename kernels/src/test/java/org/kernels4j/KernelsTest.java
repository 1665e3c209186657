package org.kernels4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.comm.ScalarReducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;
import org.kernels4j.spi.BackendContext;
import org.kernels4j.spi.BackendProvider;
import org.kernels4j.spi.DeviceOnlyBackend;

class KernelsTest {
    @Test
    void reducerComesFromTheFirstAvailableBackendThatOffersOne() {
        try (Kernels kernels = Kernels.open()) {
            assertEquals(ScalarReducer.INSTANCE, kernels.reducer(), "only the reference backend offers one here");
        }
    }

    @Test
    void dispatchesToTheBestAvailableBackendAndSaysWhichRan() {
        try (Kernels k = Kernels.open(1);
             Tensor a = Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4}, 2, 2);
             Tensor b = Tensor.fromFloats(DType.FP32, new float[] {5, 6, 7, 8}, 2, 2);
             Tensor c = k.allocate(DType.FP32, 2, 2)) {
            Execution ran = k.gemm(GemmSpec.of(a, b), a, b, c);
            assertArrayEquals(new float[] {19, 22, 43, 50}, c.toFloatArray());
            assertEquals(k.select(GemmSpec.of(a, b)).name(), ran.backend());
            assertTrue(k.devices().stream().anyMatch(d -> d.backend().equals("reference") && d.availability().available()));
            assertEquals("reference", k.devices().getLast().backend(), "the reference backend is last in dispatch order");
        }
    }

    @Test
    void dispatchesConvolutionsOnlyToBackendsThatHaveThem(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()), GemmOnlyProvider.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            Conv2dSpec spec = Conv2dSpec.builder().n(1).c(1).k(1).inputSize(2, 2).filterSize(2, 2).bias(true).build();
            try (Kernels k = Kernels.open(1);
                 Tensor x = Tensor.fromFloats(DType.FP32, new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
                 Tensor w = Tensor.fromFloats(DType.FP32, new float[] {1, 1, 1, -1}, 1, 1, 2, 2);
                 Tensor bias = Tensor.fromFloats(DType.FP32, new float[] {0.5f}, 1);
                 Tensor y = k.allocate(DType.FP32, 1, 1, 1, 1)) {
                assertEquals("gemm-only", k.select(GemmSpec.builder().m(1).n(1).k(1).build()).name());
                Execution ran = k.conv2d(spec, x, w, bias, y);
                assertEquals("reference", ran.backend(), "the GEMM-only backend outranks the reference but has no conv2d");
                assertArrayEquals(new float[] {2.5f}, y.toFloatArray());
                Backend gemmOnly = k.backend("gemm-only");
                assertEquals("no conv2d kernels in this backend", gemmOnly.supports(spec).reason());
                BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> gemmOnly.conv2d(spec, x, w, bias, y));
                assertEquals("gemm-only: no conv2d kernels in this backend", e.getMessage());
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> gemmOnly.conv2d(spec, x, w, null, y));
                assertTrue(bad.getMessage().startsWith("bias: null"), "operands are checked first: " + bad.getMessage());
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void unknownBackendNameFailsListingTheKnownOnes() {
        try (Kernels k = Kernels.open(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.backend("tpu"));
            assertTrue(e.getMessage().startsWith("backend: unknown name 'tpu' (known: "), e.getMessage());
            assertTrue(e.getMessage().contains("reference"), e.getMessage());
        }
    }

    @Test
    void brokenProvidersAreListedWithTheirReasonAndDoNotHideTheOthers(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()),
                "org.kernels4j.NoSuchProvider\n" + ThrowingProvider.class.getName() + "\n" + UnavailableProvider.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            try (Kernels k = Kernels.open(1)) {
                Map<String, Device> devices = k.devices().stream().collect(Collectors.toMap(Device::backend, Function.identity()));
                assertTrue(devices.get("reference").availability().available());
                assertEquals("driver exploded", devices.get("throwing").availability().reason());
                assertTrue(devices.get("org.kernels4j.NoSuchProvider").availability().reason().contains("not found"),
                        devices.get("org.kernels4j.NoSuchProvider").availability().reason());
                BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> k.backend("unavailable"));
                assertEquals("unavailable: no device here", e.getMessage());
                GemmSpec spec = GemmSpec.builder().m(1).n(1).k(1).build();
                assertEquals("reference", k.select(spec).name(), "unavailable backends are passed over, never chosen");
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** A backend with GEMM (the reference's) but no convolution, ahead of the reference. */
    public static final class GemmOnlyProvider implements BackendProvider {
        @Override
        public String name() {
            return "gemm-only";
        }

        @Override
        public int priority() {
            return 50;
        }

        @Override
        public Backend create(BackendContext context) {
            ReferenceBackend reference = new ReferenceBackend();
            Device device = new Device("gemm-only", "test", Device.Kind.CPU, reference.device().dtypes(), Availability.yes());
            return new Backend() {
                @Override
                public Device device() {
                    return device;
                }

                @Override
                public Availability supports(GemmSpec spec) {
                    return Availability.yes();
                }

                @Override
                public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
                    reference.gemm(spec, a, b, c);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A provider whose create() throws, as one with a broken native library would. */
    public static final class ThrowingProvider implements BackendProvider {
        @Override
        public String name() {
            return "throwing";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Backend create(BackendContext context) {
            throw new IllegalStateException("driver exploded");
        }
    }

    /** A provider that loads fine but reports its backend unavailable; it outranks the reference. */
    public static final class UnavailableProvider implements BackendProvider {
        @Override
        public String name() {
            return "unavailable";
        }

        @Override
        public int priority() {
            return 999;
        }

        @Override
        public Backend create(BackendContext context) {
            return DeviceOnlyBackend.unavailable("unavailable", Device.Kind.GPU, "none", "no device here");
        }
    }
}
