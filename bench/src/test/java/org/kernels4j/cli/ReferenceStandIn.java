package org.kernels4j.cli;

import java.util.EnumSet;
import org.kernels4j.Availability;
import org.kernels4j.DType;
import org.kernels4j.Device;
import org.kernels4j.ops.GemmSpec;
import org.kernels4j.reference.ReferenceBackend;
import org.kernels4j.spi.Backend;

/**
 * A backend for tests only that stands in for a faulty device: the reference's GEMM under another name, which a subclass
 * spoils. It is available only while the system property it is given is "true" (otherwise it is listed as unavailable
 * with that reason), so that no other test meets it.
 */
abstract class ReferenceStandIn implements Backend {
    final ReferenceBackend reference = new ReferenceBackend();
    private final Device device;

    /**
     * @param name        the backend's name
     * @param description the device's name, saying how it differs from the reference
     * @param enable      the system property that makes it available
     */
    ReferenceStandIn(String name, String description, String enable) {
        Availability availability = Boolean.getBoolean(enable) ? Availability.yes()
                : Availability.no("enabled only by the tests' system property " + enable);
        device = new Device(name, description, Device.Kind.CPU, EnumSet.of(DType.FP32, DType.FP16, DType.BF16, DType.INT8),
                availability);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Availability supports(GemmSpec spec) {
        return availability();
    }

    @Override
    public void close() {
    }
}
