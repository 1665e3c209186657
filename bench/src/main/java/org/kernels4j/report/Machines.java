package org.kernels4j.report;

import java.util.List;
import java.util.Objects;
import org.kernels4j.Device;
import org.kernels4j.gpu.GpuInventory;

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
        return machine(devices.stream().filter(d -> d.kind() == Device.Kind.GPU && d.availability().available())
                .map(d -> new Machine.Gpu(d.backend(), d.name(), d.availability().available(), d.availability().reason()))
                .toList());
    }

    /**
     * This machine with every accelerator device its drivers describe ({@link GpuInventory}): each CUDA device with compute
     * capability, multiprocessors, clocks and memory, each OpenCL device (CPU ones too) with driver, compute units, memory
     * and fp16; a backend without a device appears once with the reason.
     */
    public static Machine withAcceleratorDetails() {
        return machine(GpuInventory.describe().stream()
                .map(g -> new Machine.Gpu(g.backend(), g.name(), g.available(), g.reason(), g.kind(), g.details())).toList());
    }

    private static Machine machine(List<Machine.Gpu> gpus) {
        return new Machine(CpuProbe.detect(), CpuProbe.memoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.version() + " (" + System.getProperty("java.vendor") + ")", gpus);
    }
}
