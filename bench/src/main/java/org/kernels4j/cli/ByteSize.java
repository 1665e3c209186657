package org.kernels4j.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts on the command line: a whole number with an optional K, M or G (powers of 1024), as nccl-tests takes them. */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([KMG]?)");

    private ByteSize() {
    }

    /** {@code --option}'s value, or {@code fallback} when absent; at least 1 byte. */
    static long option(Options options, String option, long fallback) {
        return options.has(option) ? parse(option, options.string(option, "")) : fallback;
    }

    /** "8" → 8, "64K" → 65536, "256M" → 268435456, "1G" → 1073741824 (suffixes in either case). */
    static long parse(String option, String text) {
        Matcher matcher = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new BadInputException("--" + option + ": '" + text + "' is not a size in bytes (e.g. 8, 64K, 256M, 1G)");
        }
        int shift = switch (matcher.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new BadInputException("--" + option + ": '" + text + "' is too large");
        }
        if (bytes < 1) {
            throw new BadInputException("--" + option + ": '" + text + "' is less than 1 byte");
        }
        return bytes;
    }
}
