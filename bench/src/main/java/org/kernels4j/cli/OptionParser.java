package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declares the options of one command and parses its arguments: {@code --name value},
 * {@code --name=value} and flags ({@code --name}); every other argument is positional. Unknown
 * options, a missing value, a value given to a flag, an option given twice and too many positional
 * arguments are all {@link BadInputException}s naming the command, the option and the value.
 * {@code --help} is known to every command.
 */
final class OptionParser {
    static final String HELP = "help";

    private final String command;
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private int maxPositionals;
    private String positionalsUsage = "";

    private record Declared(String name, String metavar, String help) {
        boolean isFlag() {
            return metavar == null;
        }
    }

    /** @param command the command's name as typed ("run gemm"), used in messages and usage */
    OptionParser(String command) {
        this.command = Objects.requireNonNull(command, "command");
        flag(HELP, "print this help");
    }

    /** An option without a value. */
    OptionParser flag(String name, String help) {
        return declare(new Declared(name, null, help));
    }

    /** An option that takes one value, shown as {@code metavar} in the usage. */
    OptionParser value(String name, String metavar, String help) {
        Objects.requireNonNull(metavar, "metavar");
        return declare(new Declared(name, metavar, help));
    }

    /** Allows up to {@code max} positional arguments, shown as {@code usage} ("A.json B.json ..."). */
    OptionParser positionals(int max, String usage) {
        if (max < 0) {
            throw new IllegalArgumentException("max: " + max + " is negative");
        }
        maxPositionals = max;
        positionalsUsage = Objects.requireNonNull(usage, "usage");
        return this;
    }

    private OptionParser declare(Declared option) {
        Objects.requireNonNull(option.name(), "name");
        Objects.requireNonNull(option.help(), "help");
        if (option.name().isEmpty() || option.name().startsWith("-")) {
            throw new IllegalArgumentException("name: '" + option.name() + "' must be non-empty and given without dashes");
        }
        if (declared.putIfAbsent(option.name(), option) != null) {
            throw new IllegalArgumentException("name: option --" + option.name() + " is declared twice");
        }
        return this;
    }

    Options parse(List<String> args) {
        Objects.requireNonNull(args, "args");
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.equals("--")) {
                if (positionals.size() == maxPositionals) {
                    throw new BadInputException(command + ": unexpected argument '" + arg + "'" + (maxPositionals == 0
                            ? " (options start with --)" : " (at most " + maxPositionals + ": " + positionalsUsage + ")"));
                }
                positionals.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            Declared option = declared.get(name);
            if (option == null) {
                throw new BadInputException(command + ": unknown option '--" + name + "' (known: " + known() + ")");
            }
            if (values.containsKey(name)) {
                throw new BadInputException(command + ": option --" + name + " is given twice");
            }
            String value;
            if (option.isFlag()) {
                if (equals >= 0) {
                    throw new BadInputException(command + ": option --" + name + " takes no value (got '" + arg.substring(equals + 1) + "')");
                }
                value = "";
            } else if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new BadInputException(command + ": option --" + name + " needs a value (" + option.metavar() + ")");
            }
            values.put(name, value);
        }
        return new Options(command, values, positionals, args);
    }

    private String known() {
        return String.join(", ", declared.keySet().stream().map(n -> "--" + n).toList());
    }

    /** "usage: k4j COMMAND [options] POSITIONALS" then one line per option. */
    String usage() {
        StringBuilder text = new StringBuilder("usage: k4j ").append(command).append(" [options]");
        if (!positionalsUsage.isEmpty()) {
            text.append(' ').append(positionalsUsage);
        }
        text.append('\n');
        int width = declared.values().stream().mapToInt(o -> label(o).length()).max().orElse(0);
        for (Declared option : declared.values()) {
            text.append("  ").append(label(option)).append(" ".repeat(width - label(option).length() + 2))
                    .append(option.help()).append('\n');
        }
        return text.toString();
    }

    private static String label(Declared option) {
        return "--" + option.name() + (option.isFlag() ? "" : " " + option.metavar());
    }
}
