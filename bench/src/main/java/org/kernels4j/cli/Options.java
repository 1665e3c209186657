package org.kernels4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kernels4j.DType;
import org.kernels4j.comm.ReduceOp;

/**
 * Parsed arguments of one command (made by {@link OptionParser}), with typed getters that turn a bad
 * value into a {@link BadInputException} naming the option and the value.
 */
final class Options {
    private final String command;
    private final Map<String, String> values;
    private final List<String> positionals;
    private final List<String> arguments;

    Options(String command, Map<String, String> values, List<String> positionals, List<String> arguments) {
        this.command = command;
        this.values = Map.copyOf(values);
        this.positionals = List.copyOf(positionals);
        this.arguments = List.copyOf(arguments);
    }

    /**
     * The k4j arguments that gave these options, command words first ("run", "allreduce", "--in", ...):
     * what a launcher passes on to start the same command elsewhere (an MPI job's ranks).
     */
    List<String> commandLine() {
        List<String> line = new ArrayList<>(Arrays.asList(command.split(" ")));
        line.addAll(arguments);
        return List.copyOf(line);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<String> positionals() {
        return positionals;
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new BadInputException(command + ": option --" + name + " is required");
        }
        return value;
    }

    Path requiredPath(String name) {
        return path(name, required(name));
    }

    /** The path given to {@code name}, or null when the option is absent. */
    Path optionalPath(String name) {
        return has(name) ? path(name, values.get(name)) : null;
    }

    private Path path(String name, String value) {
        if (value.isEmpty()) {
            throw new BadInputException("--" + name + ": the path is empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new BadInputException("--" + name + ": '" + value + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    /** A finite number. */
    float floatValue(String name, float fallback) {
        if (!has(name)) {
            return fallback;
        }
        String value = values.get(name);
        float parsed = parse(name, value, Float::parseFloat, "a number");
        if (!Float.isFinite(parsed)) {
            throw new BadInputException("--" + name + ": '" + value + "' is not a finite number");
        }
        return parsed;
    }

    /** A whole number of at least {@code minimum}. */
    int intValue(String name, int fallback, int minimum) {
        if (!has(name)) {
            return fallback;
        }
        return checkedInt(name, values.get(name), minimum);
    }

    /** A comma-separated list of whole numbers, each at least {@code minimum}. */
    List<Integer> intList(String name, List<Integer> fallback, int minimum) {
        if (!has(name)) {
            return fallback;
        }
        return list(name).stream().map(v -> checkedInt(name, v, minimum)).toList();
    }

    /** A comma-separated list (empty items are errors). */
    List<String> list(String name) {
        String value = required(name);
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                throw new BadInputException("--" + name + ": '" + value + "' has an empty item");
            }
            items.add(trimmed);
        }
        return items;
    }

    /** A dtype name (fp32, fp16, bf16, int8, int32), or {@code fallback} when absent. */
    DType dtype(String name, DType fallback) {
        return has(name) ? dtypeNamed(name, values.get(name)) : fallback;
    }

    /** Each item of a comma-separated list of dtype names; {@code fallback} when absent. */
    List<DType> dtypes(String name, List<DType> fallback) {
        return has(name) ? list(name).stream().map(v -> dtypeNamed(name, v)).toList() : fallback;
    }

    /** A reduction (sum, prod, max, min, avg), or {@code fallback} when absent. */
    ReduceOp reduceOp(String name, ReduceOp fallback) {
        if (!has(name)) {
            return fallback;
        }
        String value = values.get(name);
        for (ReduceOp op : ReduceOp.values()) {
            if (op.cliName().equals(value)) {
                return op;
            }
        }
        throw new BadInputException("--" + name + ": unknown reduction '" + value + "' ("
                + String.join(", ", Arrays.stream(ReduceOp.values()).map(ReduceOp::cliName).toList()) + ")");
    }

    private static DType dtypeNamed(String name, String value) {
        return parse(name, value, DType::fromCliName, "a dtype (fp32, fp16, bf16, int8 or int32)");
    }

    private static int checkedInt(String name, String value, int minimum) {
        int parsed = parse(name, value, Integer::parseInt, "a whole number");
        if (parsed < minimum) {
            throw new BadInputException("--" + name + ": " + parsed + " is less than " + minimum);
        }
        return parsed;
    }

    private static <T> T parse(String name, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value.strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + name + ": '" + value + "' is not " + expected);
        }
    }
}
