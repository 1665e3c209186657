package org.kernels4j.spi;

import java.util.Objects;
import java.util.Set;
import org.kernels4j.Availability;
import org.kernels4j.BackendUnavailableException;
import org.kernels4j.Device;
import org.kernels4j.Tensor;
import org.kernels4j.ops.GemmSpec;

/**
 * A backend that knows its device but runs no kernel: a provider that failed to load, a backend whose
 * JVM lacks a module or driver, or a device whose kernels are not in this build. Every op is refused with
 * the device's own reason when it is unavailable, else with {@code unsupportedReason}; it never computes.
 *
 * <p>Thread-safe: immutable.
 */
public final class DeviceOnlyBackend implements Backend {
    private final Device device;
    private final Availability unsupported;

    /**
     * @param device            the device, available or not
     * @param unsupportedReason why an available device still runs no op (e.g. "kernels not in this build")
     */
    public DeviceOnlyBackend(Device device, String unsupportedReason) {
        this.device = Objects.requireNonNull(device, "device");
        this.unsupported = Availability.no(Objects.requireNonNull(unsupportedReason, "unsupportedReason"));
    }

    /** A backend that could not be made at all: listed as {@code name} on "(not loaded)" with the reason. */
    public static DeviceOnlyBackend unavailable(String name, Device.Kind kind, String deviceName, String reason) {
        Device device = new Device(name, deviceName, kind, Set.of(), Availability.no(reason));
        return new DeviceOnlyBackend(device, reason);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return availability().available() ? unsupported : availability();
    }

    @Override
    public void gemm(GemmSpec spec, Tensor a, Tensor b, Tensor c) {
        spec.checkOperands(a, b, c);
        throw new BackendUnavailableException(name(), supports(spec).reason());
    }

    /** Holds no resources. */
    @Override
    public void close() {
    }
}
