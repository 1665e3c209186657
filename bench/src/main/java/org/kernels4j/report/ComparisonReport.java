package org.kernels4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.kernels4j.io.AtomicFiles;
import org.knowm.xchart.CategoryChart;

/**
 * A comparison as a page ({@code index.html}, self-contained like the report's) with PNG bar charts beside it:
 * the rate of every matched row per op and dtype in each input, and each input's dtype gains over FP32.
 * Section ids: {@value #INPUTS}, {@value #RATES}, {@value #GAINS}, {@value #PLOTS}.
 */
public final class ComparisonReport {
    public static final String INPUTS = "inputs";
    public static final String RATES = "rates";
    public static final String GAINS = "gains";
    public static final String PLOTS = "plots";

    private ComparisonReport() {
    }

    /** Writes index.html and the plots into the existing {@code directory}; returns their paths, the page last. */
    public static List<Path> write(Path directory, Comparison comparison) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(comparison, "comparison");
        DrawnPlots drawn = DrawnPlots.draw(() -> plots(comparison));
        List<Path> written = new ArrayList<>();
        for (Plot plot : drawn.plots()) {
            written.add(ReportFiles.writeBytes(directory.resolve(plot.file()), plot.png()));
        }
        Path index = directory.resolve(ReportFiles.INDEX);
        AtomicFiles.writeString(index, html(comparison, drawn));
        written.add(index);
        return written;
    }

    static String html(Comparison comparison, DrawnPlots drawn) {
        HtmlPage page = new HtmlPage("kernels4j comparison", comparison.inputs().stream().map(i -> i.label() + ": "
                + i.results().machine().cpu().model()).collect(Collectors.joining(" · ")),
                List.of(new String[] {INPUTS, "Inputs"}, new String[] {RATES, "Rates"}, new String[] {GAINS, "Gains over FP32"},
                        new String[] {PLOTS, "Plots"}));
        page.section(INPUTS, "Inputs").table(ComparisonCells.INPUT_HEADERS,
                comparison.inputs().stream().map(ComparisonCells::input).toList()).endSection();
        page.section(RATES, "Rates side by side").paragraph("Median rates of the rows the inputs share by op, dtype, shape, "
                        + "backend and threads (\"all\" = every processor of that machine); speed-ups are against the first input.")
                .table(ComparisonCells.rowHeaders(comparison), comparison.rows().stream().map(ComparisonCells::row).toList(),
                        ComparisonCells.rowNumeric(comparison))
                .endSection();
        page.section(GAINS, "FP16, BF16 and INT8 gain over FP32 on each input").paragraph("Per backend, with all processors: the "
                        + "geometric mean over shapes of rate(dtype) / rate(FP32).")
                .table(ComparisonCells.GAIN_HEADERS, comparison.gains().stream().map(ComparisonCells::gain).toList(), 3)
                .endSection();
        page.section(PLOTS, "Plots");
        if (drawn.failure().isPresent()) {
            page.paragraph(drawn.failure().get());
        } else if (drawn.plots().isEmpty()) {
            page.paragraph("No plot: the inputs share no successful measurement.");
        } else {
            page.plots(drawn.plots());
        }
        return page.endSection().finish();
    }

    static List<Plot> plots(Comparison comparison) {
        List<Plot> plots = new ArrayList<>();
        Map<List<String>, List<Comparison.Row>> groups = comparison.rows().stream().collect(Collectors.groupingBy(
                r -> List.of(r.op(), r.dtype()), LinkedHashMap::new, Collectors.toList()));
        groups.forEach((key, rows) -> {
            String title = key.get(0).toUpperCase(Locale.ROOT) + " " + key.get(1).toUpperCase(Locale.ROOT);
            CategoryChart chart = Charts.bars(title + " rate per input", "shape, backend, threads", rows.getFirst().unit());
            List<String> categories = rows.stream().map(r -> r.shape() + " " + r.backend() + " " + r.threads()).toList();
            for (int i = 0; i < comparison.inputs().size(); i++) {
                int input = i;
                chart.addSeries(comparison.inputs().get(i).label() + ": " + comparison.inputs().get(i).results().machine().cpu().model(),
                        categories, rows.stream().map(r -> r.rates().get(input)).toList()).setFillColor(Charts.color(i));
            }
            plots.add(new Plot("compare-" + key.get(0) + "-" + key.get(1) + ".png", title + " per input",
                    "Median rate of each shared row in each input.", Charts.png(chart)));
        });
        if (!comparison.gains().isEmpty()) {
            List<String> categories = comparison.gains().stream().map(g -> g.input() + " " + g.backend()).distinct().toList();
            CategoryChart chart = Charts.bars("Gain over FP32 per input and backend (all processors)", "input, backend",
                    "× FP32 rate (geometric mean over shapes)");
            for (String dtype : comparison.gains().stream().map(Comparison.Gain::dtype).distinct().toList()) {
                chart.addSeries(dtype, categories, categories.stream().map(c -> comparison.gains().stream()
                        .filter(g -> g.dtype().equals(dtype) && (g.input() + " " + g.backend()).equals(c))
                        .map(Comparison.Gain::gain).findFirst().orElse(null)).toList()).setFillColor(Charts.dtypeColor(dtype));
            }
            plots.add(new Plot("compare-gains.png", "dtype gains over FP32", "FP16/BF16/INT8 rate over FP32 rate on each input.",
                    Charts.png(chart)));
        }
        return plots;
    }
}
