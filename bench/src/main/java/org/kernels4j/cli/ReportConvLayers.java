package org.kernels4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.kernels4j.DType;
import org.kernels4j.Layout;
import org.kernels4j.ops.Conv2dSpec;

/**
 * The ResNet-50 convolution layers the report times ({@code resnet50_conv.csv}, a copy of the project's shared layer
 * table: name,C,H,W,K,R,S,stride,pad,dilation,groups,count per line, '#' comments; sizes per image).
 */
final class ReportConvLayers {
    private static final String RESOURCE = "resnet50_conv.csv";

    /**
     * One layer.
     *
     * @param name  its name in the table ("res2_branch2b")
     * @param cells C, H, W, K, R, S, stride, pad, dilation, groups
     */
    record Layer(String name, long[] cells) {
        Layer {
            Objects.requireNonNull(name, "name");
            if (cells.length != 10) {
                throw new IllegalArgumentException("cells: " + cells.length + " numbers, 10 needed (C,H,W,K,R,S,stride,pad,dilation,groups)");
            }
            cells = cells.clone();
        }

        @Override
        public long[] cells() {
            return cells.clone();
        }

        /** The layer at batch {@code n} in {@code layout}, computing in {@code input}. */
        Conv2dSpec spec(long n, Layout layout, DType input) {
            return Conv2dSpec.builder().n(n).c(cells[0]).inputSize(cells[1], cells[2]).k(cells[3]).filterSize(cells[4], cells[5])
                    .stride(Math.toIntExact(cells[6])).padding(Math.toIntExact(cells[7])).dilation(Math.toIntExact(cells[8]))
                    .groups(cells[9]).layout(layout).inputType(input).build();
        }
    }

    private ReportConvLayers() {
    }

    /** Every layer of the table, in file order. */
    static List<Layer> all() {
        try (InputStream in = ReportConvLayers.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " could not be read", e);
        }
    }

    /** The layers with these names, in the order given. */
    static List<Layer> named(String... names) {
        List<Layer> all = all();
        List<Layer> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(all.stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("names: no layer '" + name + "' in " + RESOURCE)));
        }
        return chosen;
    }

    static List<Layer> parse(String csv) {
        Objects.requireNonNull(csv, "csv");
        List<Layer> layers = new ArrayList<>();
        boolean header = true;
        for (String line : csv.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length != 12) {
                throw new IllegalArgumentException("csv: '" + line + "' does not have 12 cells (name,C,H,W,K,R,S,stride,pad,dilation,groups,count)");
            }
            long[] cells = new long[10];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = Long.parseLong(fields[i + 1].strip());
            }
            layers.add(new Layer(fields[0].strip(), cells));
        }
        return layers;
    }
}
