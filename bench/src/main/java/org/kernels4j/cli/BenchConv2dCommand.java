package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.kernels4j.Layout;
import org.kernels4j.bench.ConvLayer;
import org.kernels4j.bench.ConvLayerSet;

/**
 * {@code k4j bench conv2d}: median throughput (2·N·K·C/groups·R·S·P·Q operations per call) with its spread per dtype ×
 * batch × layer of a set (ResNet-50, DeepBench, or a layer file), next to oneDNN measured in the same run on the same
 * operands with the same thread count, and a total line per dtype × batch over the whole set. {@code --json FILE}
 * writes the rows as a results file (the schema of {@code k4j report}, mode "bench"). Exits 1 when a backend failed on
 * some layer (the other layers are still measured).
 */
final class BenchConv2dCommand implements Command {
    static final List<Integer> DEFAULT_BATCHES = List.of(1, 8);
    private static final String PEER = "onednn";
    private static final int WARMUP_CALLS = 3;

    @Override
    public OptionParser parser() {
        return BenchRunOptions.declare(new OptionParser("bench conv2d")
                .value("backend", "NAME", "backend to measure (default auto: dispatch's choice)")
                .value("dtype", "LIST", "input dtypes, comma-separated (default fp32,fp16,bf16,int8)")
                .value("layers", "resnet50|deepbench|FILE", "layer set, or a CSV file in either set's form (default resnet50)")
                .value("only", "LIST", "measure only these layers of the set, by name")
                .value("batch", "LIST", "batch sizes, comma-separated (default 1,8; deepbench: each layer's own)")
                .value("layout", "nchw|nhwc", "tensor layout (default nhwc)")
                .value("threads", "N", "threads, ours and the peer's (default: all processors)"), PEER, WARMUP_CALLS);
    }

    @Override
    public int run(Options options, Terminal terminal) throws IOException {
        Path json = BenchRunOptions.json(options);
        String setName = options.string("layers", "resnet50");
        List<ConvLayer> layers = only(options, layers(setName));
        List<Integer> batches = options.has("batch") ? options.intList("batch", DEFAULT_BATCHES, 1)
                : layers.stream().allMatch(layer -> layer.batch().isPresent()) ? List.of() : DEFAULT_BATCHES;
        Conv2dBench.Plan plan = new Conv2dBench.Plan(
                options.string("backend", BackendChoice.AUTO),
                GemmDtypes.requireInputs("dtype", options.dtypes("dtype", GemmDtypes.INPUTS), Operation.CONV2D),
                setLabel(setName), layers, batches, layout(options),
                options.intValue("threads", Runtime.getRuntime().availableProcessors(), 1),
                BenchRunOptions.peer(options, PEER),
                BenchRunOptions.timer(options, WARMUP_CALLS));
        String startedAt = Instant.now().toString();
        return BenchOutput.publish("k4j bench conv2d", startedAt, Conv2dBench.run(plan, terminal), terminal, json);
    }

    private static List<ConvLayer> layers(String set) {
        return switch (set) {
            case "resnet50" -> ConvLayerSet.resnet50();
            case "deepbench" -> ConvLayerSet.deepbench();
            default -> {
                Path file = Path.of(set);
                if (!Files.isRegularFile(file)) {
                    throw new BadInputException("--layers: '" + set + "' is neither resnet50, deepbench nor a readable file");
                }
                try {
                    yield ConvLayerSet.parse(Files.readString(file));
                } catch (IOException e) {
                    throw new BadInputException("--layers: " + file + " could not be read: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("--layers: " + file + ": " + e.getMessage());
                }
            }
        };
    }

    /** "resnet50", "deepbench", or a file's name without its extension. */
    private static String setLabel(String set) {
        String name = Path.of(set).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static List<ConvLayer> only(Options options, List<ConvLayer> layers) {
        if (!options.has("only")) {
            return layers;
        }
        try {
            return ConvLayerSet.named(layers, options.list("only").toArray(String[]::new));
        } catch (NoSuchElementException e) {
            throw new BadInputException("--only: " + e.getMessage() + " (layers: "
                    + String.join(", ", layers.stream().map(ConvLayer::name).toList()) + ")");
        }
    }

    private static Layout layout(Options options) {
        String value = options.string("layout", Layout.NHWC.cliName());
        try {
            return Layout.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--layout: '" + value + "' is not nchw or nhwc");
        }
    }
}
