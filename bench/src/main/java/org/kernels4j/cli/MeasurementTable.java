package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.report.Measurement;
import org.kernels4j.report.MeasurementCells;

/** Measurements as a plain-text table: one line per row, the peer and its ratio at the end. */
final class MeasurementTable {
    private MeasurementTable() {
    }

    static String render(List<Measurement> rows) {
        TextTable table = new TextTable(MeasurementCells.HEADERS.toArray(String[]::new)).numeric(MeasurementCells.NUMERIC);
        rows.forEach(row -> table.row(MeasurementCells.of(row).toArray(String[]::new)));
        return table.render();
    }
}
