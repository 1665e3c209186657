package org.kernels4j.report;

import java.util.List;

/** The columns every table of measurements shows, in text and in HTML alike. */
public final class MeasurementCells {
    public static final List<String> HEADERS = List.of("dtype", "shape", "threads", "backend", "median", "spread (min–max)",
            "% peak", "peer", "peer median", "ratio");
    /** The right-aligned columns of {@link #HEADERS}. */
    public static final int[] NUMERIC = {2, 4, 5, 6, 8, 9};

    private MeasurementCells() {
    }

    public static List<String> of(Measurement row) {
        Measurement.PeerResult peer = row.peer();
        return List.of(row.dtype() + "→" + row.outputDtype(), row.shape().label(), Integer.toString(row.threads()),
                row.backend() + (row.source().equals(Measurement.SOURCE_K4J) ? "" : " (" + row.source() + ")"),
                median(row), row.ok() && row.low() != null && row.high() != null ? Units.number(row.low()) + "–" + Units.number(row.high()) : "",
                row.percentOfPeak() == null ? "-" : Units.percent(row.percentOfPeak()),
                peer == null ? peerAbsence(row) : peer.name(), peer == null ? "-" : Units.number(peer.median()) + " " + row.unit(),
                row.peerRatio() == null ? "-" : Units.ratio(row.peerRatio()));
    }

    /** Why a measured row has no peer ("no peer: MPI has no FP16 datatype"), when it says; else "-". */
    private static String peerAbsence(Measurement row) {
        return row.ok() && !row.message().isEmpty() ? row.message() : "-";
    }

    private static String median(Measurement row) {
        return switch (row.status()) {
            case Measurement.OK -> Units.number(row.median()) + " " + row.unit();
            case Measurement.FAILED -> "FAILED: " + row.message();
            default -> "not run: " + row.message();
        };
    }
}
