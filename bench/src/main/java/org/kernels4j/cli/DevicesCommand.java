package org.kernels4j.cli;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.bench.peer.OpenBlasPeer;

/** {@code k4j devices}: every backend in dispatch order, and the benchmark peers, with availability and the reason when unavailable. */
final class DevicesCommand implements Command {
    @Override
    public OptionParser parser() {
        return new OptionParser("devices");
    }

    @Override
    public int run(Options options, Terminal terminal) {
        try (Kernels kernels = Kernels.open(); OpenBlasPeer peer = OpenBlasPeer.open(1)) {
            terminal.out().println("backends (automatic choice takes the first available one that supports the call):");
            terminal.out().print(table(kernels.devices()));
            terminal.out().println();
            terminal.out().println("benchmark peers (measured next to ours by bench and report, never used for your calls):");
            terminal.out().print(table(List.of(peer.device())));
        }
        return 0;
    }

    static String table(List<Device> devices) {
        TextTable table = new TextTable("backend", "kind", "device", "dtypes", "status");
        for (Device device : devices) {
            String dtypes = device.dtypes().stream().sorted(Comparator.naturalOrder()).map(d -> d.cliName())
                    .collect(Collectors.joining(","));
            table.row(device.backend(), device.kind().name(), device.name(), dtypes.isEmpty() ? "-" : dtypes,
                    device.availability().available() ? "available" : "unavailable: " + device.availability().reason());
        }
        return table.render();
    }
}
