package org.kernels4j.spi;

import java.util.Objects;
import java.util.Optional;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.comm.Reducer;
import org.kernels4j.ops.Conv2dSpec;
import org.kernels4j.ops.GemmSpec;

/**
 * One backend on one device: the kernels plus what it can run. Made by a {@link BackendProvider}.
 *
 * <p>Every kernel method validates its operands against the spec ({@link GemmSpec#checkOperands},
 * {@link Conv2dSpec#checkOperands}) and fails with {@link BackendUnavailableException} when {@code supports} says no.
 * Thread safety: a backend may be called from several threads at once; each call is independent.
 */
public interface Backend extends AutoCloseable {
    /** Stable lower-case name used for explicit choice ("vector-cpu", "reference", "cuda", "opencl"): the device's backend name. */
    default String name() {
        return device().backend();
    }

    /** The device this backend runs on, with the backend's availability. */
    Device device();

    /** Available, or why not. An unavailable backend supports nothing. */
    default Availability availability() {
        return device().availability();
    }

    /** Whether this backend can run {@code spec}, and if not, why. */
    Availability supports(GemmSpec spec);

    /** {@code C = alpha·op(A)·op(B) + beta·C}; see {@link GemmSpec} for the exact rules. */
    void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c);

    /**
     * Whether this backend can run the convolution {@code spec}, and if not, why. The default, for backends without
     * convolution kernels, says no (with the backend's own reason when it is unavailable).
     */
    default Availability supports(Conv2dSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return availability().available() ? Availability.no("no conv2d kernels in this backend") : availability();
    }

    /**
     * {@code y = conv2d(x, w) + bias}; see {@link Conv2dSpec} for the exact rules. {@code bias} is null exactly when the
     * spec has no bias. The default checks the operands and refuses with {@link #supports(Conv2dSpec)}'s reason.
     */
    default void conv2d(Conv2dSpec spec, Tensor x, Tensor w, Tensor bias, Tensor y) {
        Objects.requireNonNull(spec, "spec");
        spec.checkOperands(x, w, bias, y);
        throw new BackendUnavailableException(name(), supports(spec).reason());
    }

    /**
     * The element-wise reduction step this backend offers to collectives on host memory, if any; every
     * reducer gives bitwise the same results (see {@link Reducer}), so ranks may use different ones.
     */
    default Optional<Reducer> reducer() {
        return Optional.empty();
    }

    /** Frees the backend's resources (thread pools, device contexts). */
    @Override
    void close();
}
