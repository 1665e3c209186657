package org.kernels4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** The benchmark data sets bundled as resources of this package (copies of the project's shared CSV files). */
final class DataFiles {
    private DataFiles() {
    }

    /** The text of a bundled file; a missing one is a broken build, not bad input. */
    static String resource(String name) {
        Objects.requireNonNull(name, "name");
        try (InputStream in = DataFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " could not be read", e);
        }
    }

    /** The lines that carry data: stripped, without blank lines and '#' comments (the header is the first). */
    static List<String> dataLines(String csv) {
        Objects.requireNonNull(csv, "csv");
        return csv.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** The data lines after the header. */
    static List<String> rowsAfterHeader(String csv) {
        List<String> lines = dataLines(csv);
        return lines.isEmpty() ? lines : lines.subList(1, lines.size());
    }
}
