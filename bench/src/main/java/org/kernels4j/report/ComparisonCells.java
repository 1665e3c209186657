package org.kernels4j.report;

import java.util.ArrayList;
import java.util.List;

/** The columns of a comparison's tables, in text and in HTML alike. */
public final class ComparisonCells {
    private ComparisonCells() {
    }

    /** One line per input: label, file, machine, mode, date, generator. */
    public static final List<String> INPUT_HEADERS = List.of("input", "file", "machine", "mode", "created", "written by");

    public static List<String> input(Comparison.Input input) {
        Results results = input.results();
        return List.of(input.label(), input.file(), results.machine().summary(), results.mode(), results.createdAt(), results.generator());
    }

    public static List<String> rowHeaders(Comparison comparison) {
        List<String> headers = new ArrayList<>(List.of("op", "dtype", "shape", "backend", "threads", "unit"));
        comparison.inputs().forEach(input -> headers.add(input.label()));
        comparison.inputs().stream().skip(1).forEach(input -> headers.add(input.label() + " / " + comparison.inputs().getFirst().label()));
        return headers;
    }

    /** The right-aligned columns of {@link #rowHeaders}. */
    public static int[] rowNumeric(Comparison comparison) {
        int first = 6;
        int count = 2 * comparison.inputs().size() - 1;
        int[] numeric = new int[count];
        for (int i = 0; i < count; i++) {
            numeric[i] = first + i;
        }
        return numeric;
    }

    public static List<String> row(Comparison.Row row) {
        List<String> cells = new ArrayList<>(List.of(row.op(), row.dtypes(), row.shape(), row.backend(), row.threads(), row.unit()));
        row.rates().forEach(rate -> cells.add(rate == null ? "-" : Units.number(rate)));
        for (int i = 1; i < row.rates().size(); i++) {
            cells.add(Units.ratio(row.speedUp(i)));
        }
        return cells;
    }

    public static final List<String> GAIN_HEADERS = List.of("input", "backend", "dtype", "gain over FP32");

    public static List<String> gain(Comparison.Gain gain) {
        return List.of(gain.input(), gain.backend(), gain.dtype(), Units.ratio(gain.gain()));
    }
}
