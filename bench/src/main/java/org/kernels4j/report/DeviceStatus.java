package org.kernels4j.report;

import java.util.Comparator;
import java.util.List;
import org.kernels4j.Device;

/**
 * A backend or a benchmark peer as discovery found it.
 *
 * @param backend   its name (vector-cpu, opencl, cuda, reference, openblas)
 * @param role      "backend" (runs kernels4j calls) or "peer" (measured next to ours, never used for calls)
 * @param device    the device it runs on
 * @param kind      CPU or GPU
 * @param dtypes    input dtypes it accepts (cli names)
 * @param available whether it can run here
 * @param reason    why not; "" when available
 */
public record DeviceStatus(String backend, String role, String device, String kind, List<String> dtypes, boolean available,
                           String reason) {
    public static final String BACKEND = "backend";
    public static final String PEER = "peer";

    public DeviceStatus {
        Fields.text("backend", backend);
        Fields.text("role", role);
        Fields.text("device", device);
        Fields.text("kind", kind);
        dtypes = Fields.list(dtypes);
        reason = reason == null ? "" : reason;
    }

    /** A device as discovery lists it, in the given role. */
    public static DeviceStatus of(Device device, String role) {
        return new DeviceStatus(device.backend(), role, device.name(), device.kind().name(),
                device.dtypes().stream().sorted(Comparator.naturalOrder()).map(d -> d.cliName()).toList(),
                device.availability().available(), device.availability().available() ? "" : device.availability().reason());
    }
}
