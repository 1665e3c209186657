package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.report.Comparison;
import org.kernels4j.report.ComparisonCells;
import org.kernels4j.report.ComparisonReport;
import org.kernels4j.report.ReportFiles;
import org.kernels4j.report.ResultsFormatException;
import org.kernels4j.report.ResultsJson;

/**
 * {@code k4j compare A.json B.json [...] [--out DIR]}: results files side by side (see {@link Comparison}): the rate
 * of every shared row in each file with the speed-ups over the first, and each file's FP16/BF16/INT8 gain over
 * FP32; with {@code --out}, also DIR/index.html and PNG bar charts. A file that cannot be read, is not a results
 * file, or has another schema version is bad input (exit 2, one line naming it).
 */
final class CompareCommand implements Command {
    private static final int MAX_INPUTS = 26;

    @Override
    public OptionParser parser() {
        return new OptionParser("compare")
                .positionals(MAX_INPUTS, "A.json B.json [...]")
                .value("out", "DIR", "also write DIR/index.html and the plots (DIR is created)");
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        List<String> files = options.positionals();
        if (files.size() < 2) {
            throw new BadInputException("compare: give at least two results files (got " + files.size() + ")");
        }
        Path out = options.optionalPath("out");
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out: '" + out + "' exists and is not a directory");
        }
        List<Comparison.Input> inputs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                inputs.add(new Comparison.Input(String.valueOf((char) ('A' + i)), files.get(i), ResultsJson.read(Path.of(files.get(i)))));
            } catch (ResultsFormatException e) {
                throw new BadInputException("compare: " + e.getMessage());
            }
        }
        Comparison comparison = Comparison.of(inputs);
        terminal.out().print(text(comparison));
        if (out != null) {
            Files.createDirectories(out);
            List<Path> written = ComparisonReport.write(out, comparison);
            terminal.err().println("k4j compare: wrote " + out.resolve(ReportFiles.INDEX) + " and " + (written.size() - 1) + " plots");
        }
        return 0;
    }

    static String text(Comparison comparison) {
        StringBuilder text = new StringBuilder("Inputs\n");
        TextTable inputs = new TextTable(ComparisonCells.INPUT_HEADERS.toArray(String[]::new));
        comparison.inputs().forEach(input -> inputs.row(ComparisonCells.input(input).toArray(String[]::new)));
        text.append(inputs.render());
        text.append("\nRates side by side (median; threads \"all\" = every processor of that machine; speed-ups over ")
                .append(comparison.inputs().getFirst().label()).append(")\n");
        if (comparison.rows().isEmpty()) {
            text.append("the inputs have no successful measurement\n");
        } else {
            TextTable rows = new TextTable(ComparisonCells.rowHeaders(comparison).toArray(String[]::new))
                    .numeric(ComparisonCells.rowNumeric(comparison));
            comparison.rows().forEach(row -> rows.row(ComparisonCells.row(row).toArray(String[]::new)));
            text.append(rows.render());
        }
        text.append("\nGain over FP32 per input and backend (all processors; geometric mean over shapes)\n");
        if (comparison.gains().isEmpty()) {
            text.append("no input has both FP32 and another dtype on the same shapes\n");
        } else {
            TextTable gains = new TextTable(ComparisonCells.GAIN_HEADERS.toArray(String[]::new)).numeric(3);
            comparison.gains().forEach(gain -> gains.row(ComparisonCells.gain(gain).toArray(String[]::new)));
            text.append(gains.render());
        }
        return text.toString();
    }
}
