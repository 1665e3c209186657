package org.kernels4j.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kernels4j.io.AtomicFiles;

/**
 * Writes a report's files into a directory, each atomically: {@value #RESULTS}, {@value #TEXT}, the plots as
 * PNGs and {@value #INDEX} (the page, with the plots embedded and linked). When the plots cannot be drawn (a
 * JDK without font support, say) the page and the data are still written, and the page says why there are no plots.
 */
public final class ReportFiles {
    public static final String INDEX = "index.html";
    public static final String RESULTS = "results.json";
    public static final String TEXT = "report.txt";

    private ReportFiles() {
    }

    /** Writes the files into the existing {@code directory}; returns their paths, the plots between the text and the page. */
    public static List<Path> write(Path directory, Results results, String text) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(text, "text");
        List<Path> written = new ArrayList<>();
        written.add(write(directory.resolve(RESULTS), ResultsJson.write(results)));
        written.add(write(directory.resolve(TEXT), text));
        DrawnPlots drawn = DrawnPlots.draw(() -> ReportPlots.build(results));
        List<Plot> plots = drawn.plots();
        Results shown = drawn.failure().map(failure -> {
            List<String> notes = new ArrayList<>(results.notes());
            notes.add(failure);
            return Results.of(results.generator(), results.createdAt(), results.mode(), results.machine(), results.devices(),
                    results.peaks(), results.memoryBandwidth(), results.validation(), results.measurements(), notes);
        }).orElse(results);
        for (Plot plot : plots) {
            written.add(writeBytes(directory.resolve(plot.file()), plot.png()));
        }
        written.add(write(directory.resolve(INDEX), ReportHtml.render(shown, plots)));
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text);
        return file;
    }

    static Path writeBytes(Path file, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        AtomicFiles.write(file, channel -> {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
        return file;
    }
}
