package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The standard all-reduce message sizes ({@code allreduce_sizes.csv}, a copy of the project's shared size data): the
 * nccl-tests sweep from {@code sweep_min} to {@code sweep_max} bytes in ×2 steps, and named sizes (DeepBench's),
 * one "name,bytes" per line, '#' comments.
 */
public final class AllReduceSizeSet {
    /** The name every size of the ×2 sweep carries. */
    public static final String SWEEP = "sweep";
    private static final String RESOURCE = "allreduce_sizes.csv";
    private static final String SWEEP_MIN = "sweep_min";
    private static final String SWEEP_MAX = "sweep_max";

    /**
     * One message size.
     *
     * @param name  {@value #SWEEP} for the ×2 sweep, else the file's name for it
     * @param bytes each rank's buffer, in bytes
     */
    public record Size(String name, long bytes) {
        public Size {
            Objects.requireNonNull(name, "name");
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes: " + bytes + " is less than 1");
            }
        }
    }

    private AllReduceSizeSet() {
    }

    /** Every size of the standard set: the sweep and the named sizes, smallest first. */
    public static List<Size> standard() {
        return parse(DataFiles.resource(RESOURCE));
    }

    /** The sizes of the standard set with these byte counts, in the order given. */
    public static List<Size> withBytes(long... bytes) {
        List<Size> all = standard();
        List<Size> chosen = new ArrayList<>();
        for (long size : bytes) {
            chosen.add(all.stream().filter(s -> s.bytes() == size).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("bytes: " + size + " is not a size of " + RESOURCE)));
        }
        return chosen;
    }

    /** Parses the CSV text (header line "name,bytes"); the sweep needs both of its ends. */
    static List<Size> parse(String csv) {
        Objects.requireNonNull(csv, "csv");
        long sweepMin = 0;
        long sweepMax = 0;
        List<Size> sizes = new ArrayList<>();
        for (String line : DataFiles.rowsAfterHeader(csv)) {
            String[] cells = line.split(",");
            if (cells.length != 2) {
                throw new IllegalArgumentException("csv: '" + line + "' does not have 2 cells (name,bytes)");
            }
            String name = cells[0].strip();
            long bytes = Long.parseLong(cells[1].strip());
            switch (name) {
                case SWEEP_MIN -> sweepMin = bytes;
                case SWEEP_MAX -> sweepMax = bytes;
                default -> sizes.add(new Size(name, bytes));
            }
        }
        if (sweepMin < 1 || sweepMax < sweepMin) {
            throw new IllegalArgumentException("csv: " + SWEEP_MIN + " = " + sweepMin + " and " + SWEEP_MAX + " = " + sweepMax
                    + " do not make a sweep");
        }
        for (long bytes = sweepMin; bytes <= sweepMax; bytes *= 2) {
            sizes.add(new Size(SWEEP, bytes));
        }
        sizes.sort(Comparator.comparingLong(Size::bytes));
        return List.copyOf(sizes);
    }
}
