package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.kernels4j.Device;
import org.kernels4j.Kernels;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.report.DeviceStatus;
import org.kernels4j.report.Machine;
import org.kernels4j.report.Machines;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.Peak;
import org.kernels4j.report.PeakEstimator;
import org.kernels4j.report.PeakShares;
import org.kernels4j.report.Results;
import org.kernels4j.report.ResultsJson;

/**
 * What {@code k4j bench gemm} and {@code k4j bench conv2d} do with their measured rows: add each row's share of the
 * machine's estimated peak, print the table on stdout, write the rows as a results document when asked, and turn a
 * FAILED row into exit code 1.
 */
final class BenchOutput {
    private BenchOutput() {
    }

    /**
     * @param command   "k4j bench gemm", ...: the results document's generator
     * @param startedAt when the measurements began (ISO-8601)
     * @param json      the results file, or null for none
     * @return the command's exit code
     */
    static int publish(String command, String startedAt, List<Measurement> rows, Terminal terminal, Path json)
            throws IOException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(terminal, "terminal");
        List<Device> devices;
        try (Kernels kernels = Kernels.open()) {
            devices = kernels.devices();
        }
        Machine machine = Machines.current(devices);
        List<Peak> peaks = PeakEstimator.cpuPeaks(machine.cpu());
        List<Measurement> shared = PeakShares.apply(rows, peaks);
        terminal.out().println(command + " on " + machine.summary());
        terminal.out().print(MeasurementTable.render(shared));
        if (json != null) {
            Results results = Results.of(command + ReportCommand.versionSuffix(), startedAt, "bench", machine,
                    devices.stream().map(d -> DeviceStatus.of(d, DeviceStatus.BACKEND)).toList(), peaks, null, List.of(),
                    shared, List.of());
            AtomicFiles.writeString(json, ResultsJson.write(results));
        }
        return shared.stream().anyMatch(r -> r.status().equals(Measurement.FAILED)) ? 1 : 0;
    }
}
