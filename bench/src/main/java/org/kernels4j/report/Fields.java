package org.kernels4j.report;

import java.util.List;

/** Argument checks shared by the results records, so that a file missing a field is refused with the field's name. */
final class Fields {
    private Fields() {
    }

    static <T> T required(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": missing (null)");
        }
        return value;
    }

    static String text(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": missing or blank ('" + value + "')");
        }
        return value;
    }

    /** A copy of the list; an absent list reads as empty, since JSON writers may leave out empty arrays. */
    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** JSON has no NaN or infinity: a value that is not finite is stored as absent. */
    static Double finiteOrNull(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + ": " + value + " is less than " + minimum);
        }
        return value;
    }
}
