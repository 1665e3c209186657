package org.kernels4j.report;

import java.util.List;
import java.util.Objects;
import org.kernels4j.Device;

/** Describes the machine this JVM runs on. */
public final class Machines {
    private Machines() {
    }

    /**
     * This machine, with the GPUs among {@code devices} that a backend can use (the others, and why not, are in the
     * devices list).
     */
    public static Machine current(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        List<Machine.Gpu> gpus = devices.stream().filter(d -> d.kind() == Device.Kind.GPU && d.availability().available())
                .map(d -> new Machine.Gpu(d.backend(), d.name(), d.availability().available(), d.availability().reason()))
                .toList();
        return new Machine(CpuProbe.detect(), CpuProbe.memoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")", gpus);
    }
}
