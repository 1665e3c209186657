package org.kernels4j.report;

import java.util.List;

/**
 * One run of {@code k4j report} (or {@code k4j bench}): where it ran and what it measured. Written as
 * {@code results.json} by {@link ResultsJson}; the format is documented in {@code docs/results-schema.md}.
 * Every kernel family adds {@link Measurement} rows of the same shape (op, backend, dtype, shape, rate),
 * so that readers and {@code k4j compare} need no change when an op is added.
 *
 * @param format          always {@value #FORMAT}: tells a results file from other JSON
 * @param schemaVersion   {@value #SCHEMA_VERSION} for files this code writes; readers refuse any other
 * @param generator       what wrote the file ("k4j report --quick", with the kernels4j version)
 * @param createdAt       when the run started (ISO-8601 instant)
 * @param mode            quick, default, full or bench
 * @param machine         the machine the run measured
 * @param devices         every backend and peer, available or not, and why not
 * @param peaks           estimated peak rates per device kind and dtype (estimates, never measured)
 * @param memoryBandwidth measured memory bandwidth, or null when not measured
 * @param validation      the differential checks that ran before the benchmarks
 * @param measurements    one row per op × backend × dtype × shape × threads
 * @param notes           what the reader should know (filters used, shapes scaled, inputs merged)
 */
public record Results(String format, int schemaVersion, String generator, String createdAt, String mode, Machine machine,
                      List<DeviceStatus> devices, List<Peak> peaks, MemoryBandwidth memoryBandwidth,
                      List<ValidationCheck> validation, List<Measurement> measurements, List<String> notes) {
    public static final String FORMAT = "kernels4j-results";
    public static final int SCHEMA_VERSION = 1;

    public Results {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format: '" + format + "' is not " + FORMAT);
        }
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion: " + schemaVersion + " is not " + SCHEMA_VERSION);
        }
        Fields.text("generator", generator);
        Fields.text("createdAt", createdAt);
        Fields.text("mode", mode);
        Fields.required("machine", machine);
        devices = Fields.list(devices);
        peaks = Fields.list(peaks);
        validation = Fields.list(validation);
        measurements = Fields.list(measurements);
        notes = Fields.list(notes);
    }

    /** Results of this schema version. */
    public static Results of(String generator, String createdAt, String mode, Machine machine, List<DeviceStatus> devices,
                             List<Peak> peaks, MemoryBandwidth memoryBandwidth, List<ValidationCheck> validation,
                             List<Measurement> measurements, List<String> notes) {
        return new Results(FORMAT, SCHEMA_VERSION, generator, createdAt, mode, machine, devices, peaks, memoryBandwidth,
                validation, measurements, notes);
    }
}
