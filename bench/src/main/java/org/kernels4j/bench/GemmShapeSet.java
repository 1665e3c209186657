package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The standard GEMM benchmark shapes ({@code gemm_shapes.csv}, a copy of the project's shared shape data:
 * square sweeps, LLM projections, DeepBench): name, M, N, K, transA, transB per line, '#' comments.
 */
public final class GemmShapeSet {
    private static final String RESOURCE = "gemm_shapes.csv";

    private GemmShapeSet() {
    }

    /** Every shape of the standard set, in file order. */
    public static List<GemmProblem> standard() {
        return parse(DataFiles.resource(RESOURCE));
    }

    /** The shapes of the standard set with these names, in the order given. */
    public static List<GemmProblem> named(String... names) {
        List<GemmProblem> all = standard();
        List<GemmProblem> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(all.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("names: no shape '" + name + "' in " + RESOURCE)));
        }
        return chosen;
    }

    /** Parses the CSV text (header line "name,M,N,K,transA,transB"). */
    static List<GemmProblem> parse(String csv) {
        Objects.requireNonNull(csv, "csv");
        List<GemmProblem> problems = new ArrayList<>();
        for (String line : DataFiles.rowsAfterHeader(csv)) {
            String[] cells = line.split(",");
            if (cells.length != 6) {
                throw new IllegalArgumentException("csv: '" + line + "' does not have 6 cells (name,M,N,K,transA,transB)");
            }
            GemmShape shape = new GemmShape(Integer.parseInt(cells[1].strip()), Integer.parseInt(cells[2].strip()),
                    Integer.parseInt(cells[3].strip()));
            problems.add(new GemmProblem(cells[0].strip(), shape, transposed(cells[4], line), transposed(cells[5], line)));
        }
        return problems;
    }

    private static boolean transposed(String cell, String line) {
        return switch (cell.strip()) {
            case "N" -> false;
            case "T" -> true;
            default -> throw new IllegalArgumentException("csv: '" + line + "' has transpose flag '" + cell + "' (N or T)");
        };
    }
}
