package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The convolution benchmark layer sets, copies of the project's shared data: {@code resnet50_conv.csv} (the ResNet-50
 * v1.5 layers at 224×224 with how often each occurs) and {@code deepbench_conv_subset.csv} (DeepBench training
 * shapes with their batch). Either CSV form can be read from text too (a user's own layer file): the header names the
 * columns, in any order, '#' starts a comment line.
 *
 * <ul>
 *   <li>ResNet form: {@code name,C,H,W,K,R,S,stride,pad,dilation,groups,count};</li>
 *   <li>DeepBench form: {@code name,N,C,H,W,K,R,S,pad_h,pad_w,stride_h,stride_w}.</li>
 * </ul>
 */
public final class ConvLayerSet {
    public static final String RESNET50 = "resnet50_conv.csv";
    public static final String DEEPBENCH = "deepbench_conv_subset.csv";

    private static final List<String> RESNET_COLUMNS = List.of("name", "C", "H", "W", "K", "R", "S", "stride", "pad",
            "dilation", "groups", "count");
    private static final List<String> DEEPBENCH_COLUMNS = List.of("name", "N", "C", "H", "W", "K", "R", "S", "pad_h", "pad_w",
            "stride_h", "stride_w");

    private ConvLayerSet() {
    }

    /** The 23 distinct ResNet-50 layer shapes (53 convolutions with their counts). */
    public static List<ConvLayer> resnet50() {
        return resource(RESNET50);
    }

    /** The DeepBench subset, each layer with its own batch. */
    public static List<ConvLayer> deepbench() {
        return resource(DEEPBENCH);
    }

    /** The layers of {@code set} with these names, in the order given. */
    public static List<ConvLayer> named(List<ConvLayer> set, String... names) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(names, "names");
        Map<String, ConvLayer> byName = set.stream().collect(Collectors.toMap(ConvLayer::name, Function.identity()));
        return Arrays.stream(names).map(name -> {
            ConvLayer layer = byName.get(name);
            if (layer == null) {
                throw new NoSuchElementException("names: no layer '" + name + "' in the set");
            }
            return layer;
        }).toList();
    }

    private static List<ConvLayer> resource(String name) {
        return parse(DataFiles.resource(name));
    }

    /**
     * Parses layer CSV text in either form (see the class comment).
     *
     * @throws IllegalArgumentException naming the line when the header is neither form, a line has the wrong number of
     *                                  cells, a number is malformed, a layer's geometry is invalid, or no layer is given
     */
    public static List<ConvLayer> parse(String csv) {
        Objects.requireNonNull(csv, "csv");
        List<String> lines = DataFiles.dataLines(csv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("csv: no header line (" + String.join(",", RESNET_COLUMNS) + " or "
                    + String.join(",", DEEPBENCH_COLUMNS) + ")");
        }
        List<String> header = Arrays.stream(lines.getFirst().split(",", -1)).map(String::strip).toList();
        boolean resnet = sameColumns(header, RESNET_COLUMNS);
        if (!resnet && !sameColumns(header, DEEPBENCH_COLUMNS)) {
            throw new IllegalArgumentException("csv: header '" + lines.getFirst() + "' is neither "
                    + String.join(",", RESNET_COLUMNS) + " nor " + String.join(",", DEEPBENCH_COLUMNS) + " (in any order)");
        }
        List<ConvLayer> layers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Row row = new Row(header, line);
            try {
                layers.add(resnet ? resnetLayer(row) : deepbenchLayer(row));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("csv: '" + line + "': " + e.getMessage(), e);
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("csv: no layers after the header '" + lines.getFirst() + "'");
        }
        return List.copyOf(layers);
    }

    private static boolean sameColumns(List<String> header, List<String> columns) {
        return header.size() == columns.size() && header.containsAll(columns);
    }

    private static ConvLayer resnetLayer(Row row) {
        int stride = row.number("stride");
        int pad = row.number("pad");
        return new ConvLayer(row.name(), row.number("C"), row.number("H"), row.number("W"), row.number("K"), row.number("R"),
                row.number("S"), stride, stride, pad, pad, row.number("dilation"), row.number("groups"), row.number("count"),
                OptionalInt.empty());
    }

    private static ConvLayer deepbenchLayer(Row row) {
        return new ConvLayer(row.name(), row.number("C"), row.number("H"), row.number("W"), row.number("K"), row.number("R"),
                row.number("S"), row.number("stride_h"), row.number("stride_w"), row.number("pad_h"), row.number("pad_w"), 1, 1, 1,
                OptionalInt.of(row.number("N")));
    }

    /** One line's cells by column name. */
    private record Row(List<String> header, List<String> cells) {
        Row(List<String> header, String line) {
            this(header, Arrays.stream(line.split(",", -1)).map(String::strip).toList());
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException("csv: '" + line + "' has " + cells.size() + " cells, the header "
                        + header.size());
            }
        }

        String name() {
            String name = cells.get(header.indexOf("name"));
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name: empty");
            }
            return name;
        }

        int number(String column) {
            String cell = cells.get(header.indexOf(column));
            try {
                return Integer.parseInt(cell);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(column + ": '" + cell + "' is not an integer");
            }
        }
    }
}
