package org.kernels4j.gpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The fatbin that native/build-fatbin.sh compiles from native/cuda and the native jar carries. */
public final class CudaFatbin {
    /** Class-path location of the fatbin. */
    public static final String RESOURCE = "/org/kernels4j/gpu/cuda/kernels4j.fatbin";

    private CudaFatbin() {
    }

    /** The fatbin of this build, or empty when it was built without nvcc. */
    public static Optional<Fatbin> load() {
        return bytes().map(Fatbin::parse);
    }

    /** The fatbin's bytes, as cuModuleLoadData takes them, or empty when it was built without nvcc. */
    static Optional<byte[]> bytes() {
        try (InputStream in = CudaFatbin.class.getResourceAsStream(RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
