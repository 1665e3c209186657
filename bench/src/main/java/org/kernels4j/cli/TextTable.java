package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A plain-text table with aligned columns: text columns left-aligned, numeric columns right-aligned. */
final class TextTable {
    private final String[] headers;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column titles; all columns left-aligned until {@link #numeric(int...)} says otherwise. */
    TextTable(String... headers) {
        Objects.requireNonNull(headers, "headers");
        if (headers.length == 0) {
            throw new IllegalArgumentException("headers: a table needs at least one column");
        }
        this.headers = headers.clone();
        this.numeric = new boolean[headers.length];
    }

    /** Right-aligns these columns. */
    TextTable numeric(int... columns) {
        for (int c : columns) {
            if (c < 0 || c >= headers.length) {
                throw new IllegalArgumentException("columns: " + c + " outside [0, " + headers.length + ")");
            }
            numeric[c] = true;
        }
        return this;
    }

    TextTable row(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("cells: " + cells.length + " cells for " + headers.length + " columns: " + Arrays.toString(cells));
        }
        rows.add(cells.clone());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[headers.length];
        for (int c = 0; c < headers.length; c++) {
            widths[c] = headers[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, headers, widths);
        String[] rule = new String[headers.length];
        for (int c = 0; c < headers.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        line(text, rule, widths);
        for (String[] row : rows) {
            line(text, row, widths);
        }
        return text.toString();
    }

    private void line(StringBuilder text, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
