package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.Kernels;
import org.kernels4j.bench.peer.OneDnnPeer;
import org.kernels4j.bench.peer.OpenBlasPeer;
import org.kernels4j.report.DeviceStatus;

/** {@code k4j devices}: every backend in dispatch order, and the benchmark peers, with availability and the reason when unavailable. */
final class DevicesCommand implements Command {
    @Override
    public OptionParser parser() {
        return new OptionParser("devices");
    }

    @Override
    public int run(Options options, Terminal terminal) {
        try (Kernels kernels = Kernels.open(); OpenBlasPeer peer = OpenBlasPeer.open(1); OneDnnPeer convPeer = OneDnnPeer.open(1)) {
            terminal.out().println("backends (automatic choice takes the first available one that supports the call):");
            terminal.out().print(table(kernels.devices().stream().map(d -> DeviceStatus.of(d, DeviceStatus.BACKEND)).toList()));
            terminal.out().println();
            terminal.out().println("benchmark peers (measured next to ours by bench and report, never used for your calls):");
            terminal.out().print(table(List.of(DeviceStatus.of(peer.device(), DeviceStatus.PEER),
                    DeviceStatus.of(convPeer.device(), DeviceStatus.PEER))));
        }
        return 0;
    }

    static String table(List<DeviceStatus> devices) {
        TextTable table = new TextTable("backend", "kind", "device", "dtypes", "status");
        for (DeviceStatus device : devices) {
            table.row(device.backend(), device.kind(), device.device(), device.dtypes().isEmpty() ? "-" : String.join(",", device.dtypes()),
                    device.available() ? "available" : "unavailable: " + device.reason());
        }
        return table.render();
    }
}
